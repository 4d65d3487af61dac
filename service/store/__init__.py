"""Every database read and write. Functions are named by verb (``fetch_``, ``create_``,
``revoke_``); the ones that write own their transaction: commit whole or roll back whole."""

from service.extensions import db
from service.store import (
    accounts,
    alerts,
    appeals,
    audit,
    demo,
    facts,
    flags,
    health,
    idempotency,
    messages,
    ratings,
    rectifications,
    reference,
    rescoring,
    scoring,
    themes,
    transitions,
)


def end_reads() -> None:
    """End the transaction that reads began: a worker's jobs share one app context and so one
    session, where each request has its own."""
    db.session.rollback()


def forget_inherited_connections() -> None:
    """In a forked process: drop the connections inherited from the parent without closing
    them, so that this process never speaks on the parent's sockets (SQLAlchemy's advice for
    ``os.fork``); it opens its own if it reads."""
    db.engine.dispose(close=False)


__all__ = [
    "accounts",
    "alerts",
    "appeals",
    "audit",
    "demo",
    "end_reads",
    "facts",
    "flags",
    "forget_inherited_connections",
    "health",
    "idempotency",
    "messages",
    "ratings",
    "rectifications",
    "reference",
    "rescoring",
    "scoring",
    "themes",
    "transitions",
]
