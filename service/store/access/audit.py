"""The audit trail: events are added to the caller's transaction, never committed alone by a
write, so that an event exists exactly when what it records does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent
from service.store.paging import page_of
from service.store.transactions import transaction


def add_event(event: AuditEvent) -> None:
    """Add ``event`` to the current transaction; the caller commits it with its change."""
    db.session.add(event)


def commit_event(event: AuditEvent) -> None:
    """Record an event that accompanies no change, such as a read of unmasked text."""
    with transaction():
        db.session.add(event)


def fetch_events(
    *,
    account_id: int | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[AuditEvent], int]:
    """One page of events, newest first, filtered by any of the keywords."""
    query = select(AuditEvent)
    for column, value in (
        (AuditEvent.account_id, account_id),
        (AuditEvent.action, action),
        (AuditEvent.object_type, object_type),
        (AuditEvent.object_id, object_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return page_of(query, AuditEvent.id.desc(), page, page_size)
