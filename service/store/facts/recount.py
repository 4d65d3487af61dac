"""A day's facts recounted whole from the rows they count: ratings by region, department,
service item and channel; messages by region and department; themes by region and by city."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, func, insert, literal, select
from sqlalchemy.types import Date

from analytics.regions import PROVINCE_CODE
from analytics.replies import POOR_BELOW
from analytics.sentiment import NEGATIVE
from analytics.workdays import SHANGHAI, working_days_between
from service.extensions import db
from service.models import (
    CityThemeFacts,
    DepartmentRatingFacts,
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

#: The counts every rating fact row holds, in their order.
FACT_COUNTS = tuple(RatingCounts.__annotations__)
#: The counts every message fact row holds.
MESSAGE_COUNTS = tuple(MessageCounts.__annotations__)
SATISFIED = ("satisfied", "basically_satisfied")


def _count_replies(cells: defaultdict, start: datetime, end: datetime, first) -> None:
    """The replies judged of the day: their scores and flags (stored as JSON: read here)."""
    m = Message
    judged = select(m.region_code, m.department_id, m.reply_score, m.reply_quality).where(
        m.replied_at >= start, m.replied_at < end, m.reply_score.is_not(None), first
    )
    for region, department, score, quality in db.session.execute(judged):
        flags = json.loads(quality)
        cell = cells[region, department]
        cell["replies"] += 1
        cell["reply_score_sum"] += score
        cell["replies_poor"] += score < POOR_BELOW
        cell["replies_boilerplate"] += bool(flags.get("boilerplate"))
        cell["replies_evasion"] += bool(flags.get("evasion"))
        cell["replies_on_time"] += flags.get("timeliness") == 1


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
    _count_replies(cells, start, end, first)
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
