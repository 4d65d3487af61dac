"""Accounts and their tokens, and the audit trail of who read or changed what."""
