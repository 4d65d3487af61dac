"""The per-day facts the figures are summed from, the marks that ask for their recount,
their versions, and spike alerts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.columns import Timestamp, utcnow


class RatingCounts:
    """The counts every rating fact row holds, whatever its keys."""

    ratings: Mapped[int]
    satisfied: Mapped[int]  # 3-5 stars
    strict: Mapped[int]  # 4-5 stars
    bad: Mapped[int]  # 1-2 stars (差评)
    texts_scored: Mapped[int]
    texts_negative: Mapped[int]
    cases: Mapped[int]  # 差评整改 cases of these ratings
    cases_verified: Mapped[int]  # followed up (回访核实)
    cases_reported: Mapped[int]  # rectified and reported back
    cases_on_time: Mapped[int]  # reported by their deadline


class RatingFacts(RatingCounts, db.Model):
    """Per-day counts of valid ratings, by region, department, service item and channel: what
    every rating figure is summed from. Recomputed whole for a day whenever that day's ratings
    change (see DirtyMark), so that a figure never drifts from the rows it counts."""

    __tablename__ = "fact_ratings_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    service_item_id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)


class DepartmentRatingFacts(RatingCounts, db.Model):
    """The same counts per day, region and department only: what a report without a service
    item or channel filter sums. Its size per day is bounded by the departments, not by the
    ratings, so a report does not slow down as ratings pile up."""

    __tablename__ = "fact_ratings_daily_by_department"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)


class MessageCounts:
    """The counts every message fact row holds, each on the day of its own event: received
    on the day of acceptance, due on the day the time limit runs out, closed on the day of
    closing, evaluated on the day of the evaluation."""

    received: Mapped[int]
    received_scored: Mapped[int]  # with a sentiment score
    received_negative: Mapped[int]  # ...whose text is labelled negative
    due: Mapped[int]  # the time limit runs out this day
    due_met: Mapped[int]  # ...and was met: closed, or for a difficult matter answered, by then
    closed: Mapped[int]
    handling_days: Mapped[int]  # working days from acceptance to closing, summed over `closed`
    evaluated: Mapped[int]  # evaluations given in follow-up (回访)
    evaluated_satisfied: Mapped[int]  # ...of them 满意 or 基本满意
    # Replies judged (答复质量), on the day of the reply: their scores summed, and those poor
    # (a score under analytics.replies.POOR_BELOW), boilerplate, evasive, and on time.
    replies: Mapped[int] = mapped_column(default=0, server_default="0")
    reply_score_sum: Mapped[int] = mapped_column(default=0, server_default="0")
    replies_poor: Mapped[int] = mapped_column(default=0, server_default="0")
    replies_boilerplate: Mapped[int] = mapped_column(default=0, server_default="0")
    replies_evasion: Mapped[int] = mapped_column(default=0, server_default="0")
    replies_on_time: Mapped[int] = mapped_column(default=0, server_default="0")


class MessageFacts(MessageCounts, db.Model):
    """Per-day message counts by region and department (both may be unknown), recomputed
    whole for a day like the rating facts."""

    __tablename__ = "fact_messages_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    region_code: Mapped[str | None] = mapped_column(String(6))
    department_id: Mapped[int | None]


class ThemeFacts(db.Model):
    """Per-day message counts by region and theme, with the city holding the region and the
    first-level theme holding the theme, so that a report filters on either: what the theme
    reports of a city and the drill-downs sum. Recounted with the day's message facts."""

    __tablename__ = "fact_themes_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    region_code: Mapped[str | None] = mapped_column(String(6))
    city_code: Mapped[str | None] = mapped_column(String(6))  # None: the province's, or unknown
    theme_code: Mapped[str | None] = mapped_column(String(60))  # None: unclassified
    branch_code: Mapped[str | None] = mapped_column(String(60))  # its first-level theme
    messages: Mapped[int]
    negative: Mapped[int]  # ...whose sentiment label is negative


class CityThemeFacts(db.Model):
    """The same per day, city and first-level theme only: what the province's report sums,
    a few hundred rows a month however many messages there are."""

    __tablename__ = "fact_city_themes_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    city_code: Mapped[str | None] = mapped_column(String(6))
    branch_code: Mapped[str | None] = mapped_column(String(60))
    messages: Mapped[int]
    negative: Mapped[int]


class DirtyMark(db.Model):
    """A day whose facts must be recomputed before they are read. Every write that changes a
    day's figures appends a mark in its own transaction (an insert never waits on another, so
    concurrent intakes do not queue on a shared row). A recomputation deletes the day's marks
    and then counts, in one transaction: a write committed after the delete keeps its mark, so
    a write racing the recomputation is never lost (``store.facts.drain``)."""

    __tablename__ = "fact_dirty_marks"
    __table_args__ = (Index("ix_fact_dirty_marks_kind_day", "kind", "day", "id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)


class FactVersion(db.Model):
    """How many times a day's facts were recounted: a cached report names the versions of
    the days it was summed from, so it is never served once one of them moved."""

    __tablename__ = "fact_day_versions"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(default=1)


class Alert(db.Model):
    """A spike: a theme or hot issue in a region whose volume on ``day`` jumped against its
    rolling baseline (service/reporting/alerts.py has the rule). One per region, subject and day."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("kind", "region_code", "subject", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # theme or hot_issue
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    subject: Mapped[str] = mapped_column(String(60))  # a theme code, or a hot issue's first id
    subject_name: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date, index=True)
    count: Mapped[int]
    baseline_mean: Mapped[float]
    threshold: Mapped[float]
    message_ids: Mapped[str | None] = mapped_column(Text)  # a hot issue's, as a JSON list
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
