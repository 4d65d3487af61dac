"""Per-day fact tables: recomputed whole for a day, from the rows they count, whenever that
day is marked dirty; figures are summed from them (alphagov/notifications-api's pattern).
Recomputing a whole day is idempotent, so a fact can never drift from its rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, func, insert, literal, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import Date

from analytics.workdays import SHANGHAI
from service.extensions import db
from service.models import (
    DepartmentRatingFacts,
    DirtyDay,
    Rating,
    RatingCounts,
    RatingFacts,
    RectificationCase,
)

RATINGS = "ratings"
#: The counts every rating fact row holds, in their order.
FACT_COUNTS = tuple(RatingCounts.__annotations__)


def day_of(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of ``moment``: the day figures count it in."""
    return moment.astimezone(SHANGHAI).date()


def mark_dirty(kind: str, day: date) -> None:
    """Mark ``day`` for recomputation, in the caller's transaction (bumps its version)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DirtyDay).values(kind=kind, day=day, version=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["kind", "day"], set_={"version": DirtyDay.version + 1}
        )
    )


def drain(kind: str, recompute: Callable[[date], None]) -> int:
    """Recompute every dirty day of ``kind``; returns how many. A day written to meanwhile
    keeps its mark (its version moved) and is recomputed on the next drain."""
    dirty = db.session.execute(
        select(DirtyDay.day, DirtyDay.version).where(DirtyDay.kind == kind)
    ).all()
    for day, version in dirty:
        recompute(day)
        db.session.execute(
            delete(DirtyDay).where(
                DirtyDay.kind == kind, DirtyDay.day == day, DirtyDay.version == version
            )
        )
        db.session.commit()
    return len(dirty)


def _utc_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), SHANGHAI)
    return start, start + timedelta(days=1)


def recompute_rating_facts(day: date, negative_below: float) -> None:
    """Replace ``day``'s rating facts by a fresh count of its valid ratings (in the caller's
    transaction). A text counts as negative below ``negative_below``."""
    start, end = _utc_bounds(day)
    rating, case_ = Rating, RectificationCase
    live_case = and_(case_.id.is_not(None), case_.status != "void")

    def count(condition) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    keys = (rating.region_code, rating.department_id, rating.service_item_id, rating.channel)
    counted = (
        select(
            literal(day, Date).label("day"),
            *keys,
            func.count(rating.id),
            count(rating.stars >= 3),
            count(rating.stars >= 4),
            count(rating.stars <= 2),
            count(rating.sentiment_score.is_not(None)),
            count(rating.sentiment_score < negative_below),
            count(live_case),
            count(and_(live_case, case_.verified_at.is_not(None))),
            count(and_(live_case, case_.reported_at.is_not(None))),
            count(and_(live_case, case_.reported_at <= case_.due_at)),
        )
        .select_from(rating.__table__.outerjoin(case_.__table__, case_.rating_id == rating.id))
        .where(rating.valid.is_(True), rating.created_at >= start, rating.created_at < end)
        .group_by(*keys)
    )
    columns = ["day", "region_code", "department_id", "service_item_id", "channel", *FACT_COUNTS]
    db.session.execute(delete(RatingFacts).where(RatingFacts.day == day))
    db.session.execute(insert(RatingFacts).from_select(columns, counted))
    coarse = DepartmentRatingFacts
    by_department = (
        select(
            RatingFacts.day,
            RatingFacts.region_code,
            RatingFacts.department_id,
            *(func.sum(getattr(RatingFacts, c)) for c in FACT_COUNTS),
        )
        .where(RatingFacts.day == day)
        .group_by(RatingFacts.day, RatingFacts.region_code, RatingFacts.department_id)
    )
    db.session.execute(delete(coarse).where(coarse.day == day))
    db.session.execute(
        insert(coarse).from_select(
            ["day", "region_code", "department_id", *FACT_COUNTS], by_department
        )
    )


def sum_rating_facts(
    first: date,
    last: date,
    *,
    region_codes: Iterable[str] | None,
    group_by: str | None = None,
    department_id: int | None = None,
    service_item_id: int | None = None,
    channel: str | None = None,
) -> list[dict]:
    """Summed counts for the days first..last-1, optionally per ``group_by`` (region_code or
    department_id); one dict per group (a single one without grouping). Without a service item
    or channel, the per-department facts are summed: far fewer rows, however many ratings."""
    fine = service_item_id is not None or channel is not None
    facts = RatingFacts if fine else DepartmentRatingFacts
    group = [getattr(facts, group_by)] if group_by else []
    # literal_column, not a bound 0: ten parameters of unknown type cost PostgreSQL a plan.
    sums = (func.coalesce(func.sum(getattr(facts, c)), literal_column("0")) for c in FACT_COUNTS)
    query = select(*group, *sums).where(facts.day >= first, facts.day < last)
    if region_codes is not None:
        query = query.where(facts.region_code.in_(sorted(region_codes)))
    if department_id is not None:
        query = query.where(facts.department_id == department_id)
    if service_item_id is not None:
        query = query.where(RatingFacts.service_item_id == service_item_id)
    if channel is not None:
        query = query.where(RatingFacts.channel == channel)
    if group:
        query = query.group_by(*group)
    names = ([group_by] if group_by else []) + list(FACT_COUNTS)
    return [dict(zip(names, row, strict=True)) for row in db.session.execute(query)]
