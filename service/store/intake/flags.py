"""Integrity flags on ratings."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from service.extensions import db
from service.models import Rating, RatingFlag
from service.store.paging import page_of

if TYPE_CHECKING:
    from service.store.scopes import Scope


def count_recent(service_item_id: int, since: datetime, **who: str) -> int:
    """Ratings of one service item since ``since`` from one device or citizen (``who``)."""
    ((column, value),) = who.items()
    return db.session.scalar(
        select(func.count()).where(
            Rating.service_item_id == service_item_id,
            getattr(Rating, column) == value,
            Rating.created_at >= since,
        )
    )


def add_flags(rating_id: int, values: dict, flags: list[tuple[str, str]]) -> None:
    """Record ``flags`` (kind, detail) on a new rating, in the rating's own transaction."""
    if flags:
        db.session.execute(
            insert(RatingFlag.__table__),
            [
                {
                    "rating_id": rating_id,
                    "kind": kind,
                    "detail": detail,
                    "region_code": values["region_code"],
                    "department_id": values["department_id"],
                    "status": "open",
                    "created_at": values["created_at"],
                }
                for kind, detail in flags
            ],
        )


def fetch_flag(scope: Scope, flag_id: int) -> RatingFlag | None:
    return db.session.scalar(
        select(RatingFlag).where(RatingFlag.id == flag_id, *scope.filters(RatingFlag))
    )


def fetch_flags(
    scope: Scope,
    *,
    status: str | None = None,
    kind: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[RatingFlag], int]:
    query = select(RatingFlag).where(*scope.filters(RatingFlag))
    if status is not None:
        query = query.where(RatingFlag.status == status)
    if kind is not None:
        query = query.where(RatingFlag.kind == kind)
    return page_of(query, RatingFlag.id.desc(), page, page_size)
