"""Accounts and their tokens (admins), and the audit trail."""
