"""差评整改 cases."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from service.extensions import db
from service.models import Rating, RectificationCase
from service.store.paging import page_of

if TYPE_CHECKING:
    from service.store.scopes import Scope


def add_case(rating_id: int, values: dict, opened_at: datetime, due_at: datetime) -> int:
    """Open the case of a new 差评, in the rating's own transaction; returns its id."""
    return db.session.execute(
        _INSERT_CASE,
        {
            "rating_id": rating_id,
            "department_id": values["department_id"],
            "region_code": values["region_code"],
            "status": "open",
            "opened_at": opened_at,
            "due_at": due_at,
        },
    ).scalar_one()


# Core, prepared once: this runs inside the rating intake's transaction for every 差评.
_INSERT_CASE = insert(RectificationCase.__table__).returning(RectificationCase.__table__.c.id)


def void_case_for_rating(rating_id: int) -> None:
    """An upheld appeal ends the rating's rectification (in the caller's transaction), unless it
    was reported already."""
    db.session.execute(
        update(RectificationCase)
        .where(RectificationCase.rating_id == rating_id, RectificationCase.status != "reported")
        .values(status="void")
    )


def fetch_case(scope: Scope, case_id: int) -> RectificationCase | None:
    return db.session.scalar(
        select(RectificationCase).where(
            RectificationCase.id == case_id, *scope.filters(RectificationCase)
        )
    )


def fetch_case_for_transaction(transaction_id: str, channel: str) -> RectificationCase | None:
    return db.session.scalar(
        select(RectificationCase)
        .join(Rating, Rating.id == RectificationCase.rating_id)
        .where(Rating.transaction_id == transaction_id, Rating.channel == channel)
    )


def fetch_cases(
    scope: Scope,
    *,
    status: str | None = None,
    overdue_at: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[RectificationCase], int]:
    """One page of the cases in ``scope``, soonest deadline first; ``overdue_at`` keeps those
    still unreported past their deadline at that moment."""
    query = select(RectificationCase).where(*scope.filters(RectificationCase))
    if status is not None:
        query = query.where(RectificationCase.status == status)
    if overdue_at is not None:
        query = query.where(
            RectificationCase.status.not_in(("reported", "void")),
            RectificationCase.due_at < overdue_at,
        )
    return page_of(query, RectificationCase.due_at, page, page_size)
