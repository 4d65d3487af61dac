"""Every database read and write. Functions are named by verb (``fetch_``, ``create_``,
``revoke_``); the ones that write own their transaction: commit whole or roll back whole."""

from service.store import accounts, audit, health, idempotency, messages, ratings, reference

__all__ = ["accounts", "audit", "health", "idempotency", "messages", "ratings", "reference"]
