"""Every database read and write. Functions are named by verb (``fetch_``, ``create_``,
``revoke_``); the ones that write own their transaction: commit whole or roll back whole."""

from service.store import (
    accounts,
    appeals,
    audit,
    facts,
    flags,
    health,
    idempotency,
    messages,
    ratings,
    rectifications,
    reference,
    rescoring,
    themes,
    transitions,
)

__all__ = [
    "accounts",
    "appeals",
    "audit",
    "facts",
    "flags",
    "health",
    "idempotency",
    "messages",
    "ratings",
    "rectifications",
    "reference",
    "rescoring",
    "themes",
    "transitions",
]
