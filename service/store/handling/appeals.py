"""申诉复核: appeals against ratings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import Appeal, AuditEvent, Rating
from service.store.paging import page_of
from service.store.transactions import transaction

if TYPE_CHECKING:
    from service.store.scopes import Scope


def create_appeal(
    appeal: Appeal, audit: AuditEvent, then: Callable[[Appeal], None] | None = None
) -> Appeal | None:
    """File ``appeal`` with its audit entry (and whatever ``then`` adds, such as the answer to
    an Idempotency-Key) in one commit; None when the rating was appealed already."""
    try:
        with transaction():
            db.session.add(appeal)
            db.session.flush()
            audit.object_id = str(appeal.id)
            db.session.add(audit)
            if then is not None:
                then(appeal)
    except IntegrityError:
        return None
    return appeal


def invalidate_rating(rating_id: int) -> None:
    """Take a rating out of the figures (in the caller's transaction): it stays stored."""
    db.session.execute(update(Rating).where(Rating.id == rating_id).values(valid=False))


def fetch_appeal(scope: Scope, appeal_id: int) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.id == appeal_id, *scope.filters(Appeal)))


def fetch_appeals(
    scope: Scope, *, status: str | None = None, page: int = 1, page_size: int = 50
) -> tuple[list[Appeal], int]:
    query = select(Appeal).where(*scope.filters(Appeal))
    if status is not None:
        query = query.where(Appeal.status == status)
    return page_of(query, Appeal.id.desc(), page, page_size)
