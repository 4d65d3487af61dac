"""Every database read and write. Functions are named by verb (``fetch_``, ``create_``,
``revoke_``); the ones that write own their transaction (``transactions.transaction``):
commit whole or roll back whole.

The store imports the models and the extensions only (and analytics, to mask what a scope
may not read). Everything above it calls it; it calls nothing above it."""

from flask import has_app_context

from service.extensions import db
from service.store import alerts, demo, facts, health, reference, taxonomy, themes
from service.store.access import accounts, audit
from service.store.handling import appeals, rectifications, transitions
from service.store.intake import flags, idempotency, messages, ratings
from service.store.scoring import pending, replies, rescoring

#: The store's modules by name, wherever their files sit: callers write ``store.messages``.
__all__ = [
    "accounts", "alerts", "appeals", "audit", "demo", "facts", "flags", "health",
    "idempotency", "messages", "pending", "ratings", "rectifications", "reference", "replies",
    "rescoring", "taxonomy", "themes", "transitions",
]  # fmt: skip


def end_job() -> None:
    """Leave the next job of a worker a clean session, however this one ended: a worker's
    jobs share one app context and so one session, where each request has its own. Removing
    it rolls back what is left open (reads, or a transaction broken by a lost connection,
    which otherwise fails every later use with ``PendingRollbackError``) and returns its
    connection; the next job checks one out afresh. A connection the server cut is not handed
    out again: SQLAlchemy, on the disconnect, marks every connection the pool held until then
    as stale (``Pool._invalidate``), and one idle in the pool is tested at checkout
    (service/platform/connections.py)."""
    if has_app_context():
        db.session.remove()


__all__ = [
    "accounts",
    "alerts",
    "appeals",
    "audit",
    "demo",
    "end_job",
    "facts",
    "flags",
    "health",
    "idempotency",
    "messages",
    "ratings",
    "rectifications",
    "reference",
    "rescoring",
    "scoring",
    "taxonomy",
    "themes",
    "transitions",
]
