"""Per-day fact tables: recomputed whole for a day, from the rows they count, whenever that
day is marked dirty; figures are summed from them (alphagov/notifications-api's pattern).
Recomputing a whole day is idempotent, so a fact can never drift from its rows."""

from __future__ import annotations

import logging
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, func, insert, literal, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import Date

from analytics.kpis import reportable
from analytics.regions import PROVINCE_CODE
from analytics.sentiment import NEGATIVE
from analytics.workdays import SHANGHAI, working_days_between
from service.extensions import db
from service.models import (
    CityThemeFacts,
    DepartmentRatingFacts,
    DirtyMark,
    FactVersion,
    Message,
    MessageCounts,
    MessageEvent,
    MessageFacts,
    Rating,
    RatingCounts,
    RatingFacts,
    RectificationCase,
    ThemeFacts,
)
from service.store.taxonomy import fetch_taxonomy
from service.store.transactions import transaction

RATINGS = "ratings"
MESSAGES = "messages"
#: The counts every rating fact row holds, in their order.
FACT_COUNTS = tuple(RatingCounts.__annotations__)
#: The counts every message fact row holds.
MESSAGE_COUNTS = tuple(MessageCounts.__annotations__)
SATISFIED = ("satisfied", "basically_satisfied")

log = logging.getLogger(__name__)


def day_of(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of ``moment``: the day figures count it in."""
    return moment.astimezone(SHANGHAI).date()


def due_day(deadline: datetime) -> date:
    """The day a time limit runs out on: deadlines fall at the end of a day, the midnight
    that starts the next."""
    return day_of(deadline - timedelta(microseconds=1))


def mark_dirty(kind: str, *days: date) -> None:
    """Mark ``days`` for recomputation, in the caller's transaction: one mark appended per day
    (an insert, which waits on no other transaction's mark: a day's intakes never queue on a
    shared row).

    A day no report can be about (analytics.kpis.reportable) is not marked: a day near the
    calendar's ends cannot be recounted (its periods overflow), and its mark would fail every
    read that recounts until deleted by hand."""
    refused = {day for day in days if not reportable(day)}
    if refused:
        log.warning(
            "%d days no report is about not marked for a recount of %s: %s to %s",
            len(refused),
            kind,
            min(refused),
            max(refused),
        )
    if not (days := set(days) - refused):
        return
    marks = [{"kind": kind, "day": day} for day in sorted(days)]
    db.session.execute(_INSERT_MARK, marks[0] if len(marks) == 1 else marks)


# Core, built once: every intake transaction runs it, and the ORM's bulk insert cost a
# seventh of a rating's CPU time.
_INSERT_MARK = insert(DirtyMark.__table__)


def _dialect():
    return postgresql if db.engine.dialect.name == "postgresql" else sqlite


def mark_for_recount(days: Iterable[date]) -> None:
    """Mark ``days`` for a recount of all their facts, and commit."""
    days = list(days)
    with transaction():
        mark_dirty(RATINGS, *days)
        mark_dirty(MESSAGES, *days)


def mark_message_days(*moments: datetime | None, deadlines: Iterable[datetime | None] = ()) -> None:
    """Mark the message facts of the days of ``moments`` (acceptance, closing, evaluation) and
    of the days ``deadlines`` run out on."""
    mark_dirty(MESSAGES, *message_days(*moments, deadlines=deadlines))


def message_days(*moments: datetime | None, deadlines: Iterable[datetime | None] = ()) -> set[date]:
    """The days whose message facts ``moments`` and ``deadlines`` count in."""
    return {day_of(m) for m in moments if m} | {due_day(d) for d in deadlines if d}


def count_dirty() -> int:
    """How many days wait for a recount, of every kind."""
    marked = select(DirtyMark.kind, DirtyMark.day).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(marked)) or 0


def dirty_days(kind: str) -> list[date]:
    """The days of ``kind`` that wait for a recount."""
    return list(db.session.scalars(select(DirtyMark.day).where(DirtyMark.kind == kind).distinct()))


def drain(
    kind: str, recompute: Callable[[date], None], progress: Callable[[int], None] | None = None
) -> int:
    """Recompute every dirty day of ``kind``; returns how many. Each day in one transaction:
    its marks are deleted first, then the day recomputed. A write committed before that
    delete has its mark deleted and its rows counted (each statement after it sees them); a
    write committed later keeps its mark, which the delete never saw, and is recomputed on the
    next drain. Two processes draining the same day take turns (on PostgreSQL, an advisory
    lock per day: the writers that mark days never wait for it); the second finds the marks
    gone and skips the day. ``progress`` hears of every day taken off the list, recounted or
    skipped."""
    recounted = 0
    for day in dirty_days(kind):
        with transaction():
            _take_turn(kind, day)
            cleared = db.session.execute(
                delete(DirtyMark).where(DirtyMark.kind == kind, DirtyMark.day == day)
            ).rowcount
            if cleared:  # else recounted by another process while this one waited
                recompute(day)
                statement = _dialect().insert(FactVersion).values(day=day, version=1)
                db.session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["day"], set_={"version": FactVersion.version + 1}
                    )
                )
                recounted += 1
        if progress is not None:
            progress(1)
    return recounted


def _take_turn(kind: str, day: date) -> None:
    """Wait for any other recount of ``day`` to commit (PostgreSQL; SQLite has one writer)."""
    if db.engine.dialect.name == "postgresql":
        key = zlib.crc32(f"facts:{kind}:{day.isoformat()}".encode())
        db.session.execute(select(func.pg_advisory_xact_lock(key)))


def fetch_versions(first: date, last: date) -> list[tuple[date, int]]:
    """How many times each day from ``first`` up to ``last`` was recounted (days never
    recounted are absent): what a cached report is keyed by."""
    query = select(FactVersion.day, FactVersion.version).where(
        FactVersion.day >= first, FactVersion.day < last
    )
    return [tuple(row) for row in db.session.execute(query.order_by(FactVersion.day))]


def _utc_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), SHANGHAI)
    return start, start + timedelta(days=1)


def recompute_rating_facts(day: date) -> None:
    """Replace ``day``'s rating facts by a fresh count of its valid ratings (in the caller's
    transaction). A comment counts as negative when the model labels it so (``comment_label``,
    not the rating's own label, which follows the stars)."""
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
            count(rating.comment_label == NEGATIVE),
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


def rating_cells(
    first: date,
    split: date,
    last: date,
    *,
    region_codes: Iterable[str] | None,
    department_id: int | None = None,
    service_item_id: int | None = None,
    channel: str | None = None,
) -> list[dict]:
    """Rating counts summed per region and department over the days first..split-1 (the
    previous period, ``current`` false) and split..last-1 (``current`` true): one query for a
    whole report. Without a service item or channel, the per-department facts are summed: far
    fewer rows, however many ratings."""
    fine = service_item_id is not None or channel is not None
    facts = RatingFacts if fine else DepartmentRatingFacts
    # literal_column, not a bound 0: ten parameters of unknown type cost PostgreSQL a plan.
    sums = {c: func.coalesce(func.sum(getattr(facts, c)), literal_column("0")) for c in FACT_COUNTS}
    query = _cells(facts, first, split, last, sums, region_codes, department_id)
    if service_item_id is not None:
        query = query.where(RatingFacts.service_item_id == service_item_id)
    if channel is not None:
        query = query.where(RatingFacts.channel == channel)
    return _rows(query, sums)


def _cells(facts, first, split, last, sums, region_codes, department_id):
    current = (facts.day >= split).label("current")
    keys = (facts.region_code, facts.department_id, current)
    query = (
        select(*keys, *sums.values()).where(facts.day >= first, facts.day < last).group_by(*keys)
    )
    if region_codes is not None:
        query = query.where(facts.region_code.in_(sorted(region_codes)))
    if department_id is not None:
        query = query.where(facts.department_id == department_id)
    return query


def _rows(query, sums: dict) -> list[dict]:
    names = ["region_code", "department_id", "current", *sums]
    return [dict(zip(names, row, strict=True)) for row in db.session.execute(query)]


def recompute_message_facts(day: date) -> None:
    """Replace ``day``'s message facts by a fresh count (in the caller's transaction): the
    messages accepted that day (and those of them whose text is labelled negative), those
    whose time limit runs out that day and whether they met it, those closed that day with
    their handling time in working days, and the evaluations given that day; and the day's
    theme facts. The limits and handling times are counted
    here rather than in SQL, since working days come from the statutory calendar."""
    start, end = _utc_bounds(day)
    cells: defaultdict[tuple, Counter] = defaultdict(Counter)
    m = Message
    first = m.repeat_of_id.is_(None)  # a repeat counts once, as the first of its matter
    # Counted in SQL: a day's messages are many, its cells few (a busy day's recount went
    # from seconds in Python to a query).
    negative = func.coalesce(func.sum(case((m.sentiment_label == NEGATIVE, 1), else_=0)), 0)
    received = (
        select(m.region_code, m.department_id, func.count(), func.count(m.sentiment_score),
               negative)
        .where(m.created_at >= start, m.created_at < end, first)
        .group_by(m.region_code, m.department_id)
    )  # fmt: skip
    for region, department, messages, scored, negatives in db.session.execute(received):
        cell = cells[region, department]
        cell["received"] += messages
        cell["received_scored"] += scored
        cell["received_negative"] += negatives
    due = select(
        m.region_code, m.department_id, m.difficulty, m.status, m.replied_at, m.closed_at, m.due_at
    ).where(m.due_at > start, m.due_at <= end, first)
    for region, department, difficulty, status, replied_at, closed_at, due_at in db.session.execute(
        due
    ):
        cell = cells[region, department]
        cell["due"] += 1
        cell["due_met"] += met_limit(difficulty, status, replied_at, closed_at, due_at)
    closed = select(m.region_code, m.department_id, m.created_at, m.closed_at).where(
        m.closed_at >= start, m.closed_at < end, first
    )
    for region, department, created_at, closed_at in db.session.execute(closed):
        cell = cells[region, department]
        cell["closed"] += 1
        cell["handling_days"] += working_days_between(created_at, closed_at)
    e = MessageEvent
    evaluations = (
        select(m.region_code, e.department_id, e.evaluation, func.count())
        .join(m, m.id == e.message_id)
        .where(e.action == "evaluate", e.at >= start, e.at < end, first)
        .group_by(m.region_code, e.department_id, e.evaluation)
    )
    for region, department, evaluation, evaluated in db.session.execute(evaluations):
        cell = cells[region, department]
        cell["evaluated"] += evaluated
        cell["evaluated_satisfied"] += evaluated if evaluation in SATISFIED else 0
    _recount_themes(day, start, end)
    db.session.execute(delete(MessageFacts).where(MessageFacts.day == day))
    if cells:
        db.session.execute(
            insert(MessageFacts),
            [
                {"day": day, "region_code": region, "department_id": department}
                | {name: counts[name] for name in MESSAGE_COUNTS}
                for (region, department), counts in cells.items()
            ],
        )


def _recount_themes(day: date, start: datetime, end: datetime) -> None:
    """The day's theme facts: messages accepted that day by region and theme, and by city and
    first-level theme. A theme this process has not heard of yet has the taxonomy read again
    first: taken for a first-level theme of its own, its messages would be missing from their
    first-level theme's drill-down until the day is recounted."""
    from service.store.reference import fetch_region_index

    m = Message
    negative = func.sum(case((m.sentiment_label == "negative", 1), else_=0))
    counted = db.session.execute(
        select(m.region_code, m.theme_code, func.count(), negative)
        .where(m.created_at >= start, m.created_at < end, m.repeat_of_id.is_(None))
        .group_by(m.region_code, m.theme_code)
    ).all()
    regions = fetch_region_index()
    taxonomy = fetch_taxonomy(with_retired=True, knowing={theme for _, theme, _, _ in counted})
    fine, coarse = [], Counter()
    for region, theme, messages, negatives in counted:
        city = regions.child_holding(PROVINCE_CODE, region)
        path = taxonomy.path(theme) if theme else []
        branch = path[0].code if path else theme
        fine.append(
            {
                "day": day,
                "region_code": region,
                "city_code": city,
                "theme_code": theme,
                "branch_code": branch,
                "messages": messages,
                "negative": negatives,
            }
        )
        coarse[city, branch, "messages"] += messages
        coarse[city, branch, "negative"] += negatives
    for table in (ThemeFacts, CityThemeFacts):
        db.session.execute(delete(table).where(table.day == day))
    if fine:
        db.session.execute(insert(ThemeFacts), fine)
        keys = {(city, branch) for city, branch, _ in coarse}
        db.session.execute(
            insert(CityThemeFacts),
            [
                {"day": day, "city_code": city, "branch_code": branch,
                 "messages": coarse[city, branch, "messages"],
                 "negative": coarse[city, branch, "negative"]}
                for city, branch in keys
            ],
        )  # fmt: skip


def theme_cells(
    first: date,
    split: date,
    last: date,
    *,
    region_codes: Iterable[str] | None,
    branch: str | None = None,
) -> list[dict]:
    """Messages (and how many read negative) per region, theme and period (``current`` from
    ``split`` on). For the whole province's first-level themes, per city and first-level
    theme, from the coarse facts; else from the fine ones, within ``region_codes`` and, with
    ``branch``, under that first-level theme."""
    coarse = region_codes is None and branch is None
    facts = CityThemeFacts if coarse else ThemeFacts
    region = facts.city_code if coarse else facts.region_code
    theme = facts.branch_code if coarse else facts.theme_code
    current = (facts.day >= split).label("current")
    query = (
        select(region, theme, current, func.sum(facts.messages), func.sum(facts.negative))
        .where(facts.day >= first, facts.day < last)
        .group_by(region, theme, current)
    )
    if region_codes is not None:
        query = query.where(ThemeFacts.region_code.in_(sorted(region_codes)))
    if branch is not None:
        query = query.where(ThemeFacts.branch_code == branch)
    names = ("region_code", "theme_code", "current", "messages", "negative")
    return [dict(zip(names, row, strict=True)) for row in db.session.execute(query)]


def branch_counts(first: date, last: date) -> list[tuple]:
    """(day, region_code, city_code, branch_code, messages) from ``first`` up to ``last``:
    each day's messages per region and first-level theme, for the spike rule."""
    f = ThemeFacts
    query = (
        select(f.day, f.region_code, f.city_code, f.branch_code, func.sum(f.messages))
        .where(f.day >= first, f.day < last)
        .group_by(f.day, f.region_code, f.city_code, f.branch_code)
    )
    return [tuple(row) for row in db.session.execute(query)]


def met_limit(
    difficulty: str | None,
    status: str,
    replied_at: datetime | None,
    closed_at: datetime | None,
    due_at: datetime,
) -> bool:
    """Whether a message met its handling limit: an ordinary matter by being closed, a
    difficult one by being answered (and not reopened since), by ``due_at``."""
    if difficulty == "difficult":
        return status in ("replied", "closed") and replied_at is not None and replied_at <= due_at
    return closed_at is not None and closed_at <= due_at


def message_cells(
    first: date,
    split: date,
    last: date,
    today: date,
    *,
    region_codes: Iterable[str] | None,
    department_id: int | None = None,
) -> list[dict]:
    """Message counts per region, department and period, like ``rating_cells``; with ``due``
    narrowed to the limits that have run out before ``today`` or were met already (a limit
    still running is no figure yet), and ``overdue`` the ones that ran out unmet."""
    facts = MessageFacts
    passed = facts.day < today

    def total(expression) -> object:
        return func.coalesce(func.sum(expression), literal_column("0"))

    sums = {name: total(getattr(facts, name)) for name in MESSAGE_COUNTS}
    sums["due"] = total(case((passed, facts.due), else_=facts.due_met))
    sums["overdue"] = total(case((passed, facts.due - facts.due_met), else_=literal_column("0")))
    return _rows(_cells(facts, first, split, last, sums, region_codes, department_id), sums)
