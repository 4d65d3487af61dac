"""The database tables, as SQLAlchemy 2 models. The schema itself changes only by migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """Aware datetimes, stored in UTC. PostgreSQL converts them itself; SQLite keeps no zone
    and would store a Shanghai deadline's wall time as if it were UTC, 8 hours off."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: times are stored with their zone")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


Timestamp = Annotated[datetime, mapped_column(UtcDateTime())]


class Region(db.Model):
    """An administrative division (行政区划): the province, a city or a county."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    short_name: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)


class Department(db.Model):
    """A government department (部门) of one region."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)


class ServiceItem(db.Model):
    """A government service item (政务服务事项) handled by one department."""

    __tablename__ = "service_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)

    department: Mapped[Department] = relationship(lazy="joined")


class Account(db.Model):
    """A caller of the API, bound to a scope: a handler to a department, an official or an
    analyst to a region. Only the SHA-256 of its token is stored; staff who sign in to the
    dashboard also have a password, stored as a salted scrypt hash (werkzeug's)."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    expires_at: Mapped[Timestamp | None]
    revoked_at: Mapped[Timestamp | None]

    department: Mapped[Department | None] = relationship(lazy="joined")


class DashboardSession(db.Model):
    """A dashboard sign-in that has not ended. The signed cookie names it by a random id and
    only that id's SHA-256 is kept here, so that whoever reads this table cannot sign in;
    signing out deletes the row, and the cookie, replayed, is refused (a signed cookie alone
    cannot be withdrawn before its own expiry)."""

    __tablename__ = "dashboard_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    started_at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)


class Rating(db.Model):
    """A 好差评 rating of one handled service (办件), one per transaction and channel."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("transaction_id", "channel"),
        Index("ix_ratings_item_device_time", "service_item_id", "device_id", "created_at"),
        Index("ix_ratings_item_citizen_time", "service_item_id", "citizen_ref", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stars: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    transaction_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    service_item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # Sub-indicators (domain.md): online 整体满意度 办事效率 办事指南精确度 办事便捷度 平台操作性,
    # offline 整体满意度 服务效率 服务水平 服务态度.
    score_overall: Mapped[int | None]
    score_efficiency: Mapped[int | None]
    score_guide_accuracy: Mapped[int | None]
    score_convenience: Mapped[int | None]
    score_operability: Mapped[int | None]
    score_service_efficiency: Mapped[int | None]
    score_service_level: Mapped[int | None]
    score_attitude: Mapped[int | None]
    sentiment_score: Mapped[float | None]
    sentiment_label: Mapped[str] = mapped_column(String(10))
    sentiment_model: Mapped[str] = mapped_column(String(60))
    # The comment's own label, the model's (sentiment_label follows the stars): what
    # 评价负面情绪占比 counts. None until scored, and for a rating without a comment.
    comment_label: Mapped[str | None] = mapped_column(String(10))
    # A real-name rating (实名): its 差评 must be followed up without exception.
    real_name: Mapped[bool] = mapped_column(default=False)
    # Who rated, as far as the app tells: for finding bursts, never shown to the department.
    citizen_ref: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(64))
    # False once an appeal is upheld (误评, 恶意差评): out of every figure, never deleted.
    valid: Mapped[bool] = mapped_column(default=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)

    service_item: Mapped[ServiceItem] = relationship(lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")


class Theme(db.Model):
    """A theme (问题分类) of the taxonomy: three levels in practice, any depth allowed. Never
    deleted, since messages keep their theme: an admin deactivates one instead."""

    __tablename__ = "themes"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("themes.code"), index=True)
    keywords: Mapped[str] = mapped_column(Text, default="[]")  # a JSON list, for the rules
    livelihood: Mapped[str | None] = mapped_column(String(20))  # the policy's 民生 "位"
    active: Mapped[bool] = mapped_column(default=True)


class Message(db.Model):
    """A citizen's message (诉求): consultation, help, complaint, report, suggestion or praise."""

    __tablename__ = "messages"
    __table_args__ = (
        # The open messages by deadline: 超期 counts and 督办 lists read only these, however
        # many closed messages pile up.
        Index(
            "ix_messages_open_due_at",
            "due_at",
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    region_source: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    citizen_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    confidential: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # Handling (12345 practice): set at dispatch, replied, closed, evaluated in follow-up (回访).
    difficulty: Mapped[str | None] = mapped_column(String(10))
    first_contact_due_at: Mapped[Timestamp | None]
    due_at: Mapped[Timestamp | None] = mapped_column(index=True)
    first_contact_at: Mapped[Timestamp | None]
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[Timestamp | None]
    closed_at: Mapped[Timestamp | None] = mapped_column(index=True)
    evaluation: Mapped[str | None] = mapped_column(String(20))
    evaluated_at: Mapped[Timestamp | None]
    sentiment_score: Mapped[float | None]
    sentiment_label: Mapped[str] = mapped_column(String(10))
    sentiment_model: Mapped[str] = mapped_column(String(60))
    # Its theme: none when no placement was confident enough (it waits for a person); a
    # staff correction is kept and feeds the next training run.
    theme_code: Mapped[str | None] = mapped_column(ForeignKey("themes.code"), index=True)
    theme_confidence: Mapped[float | None]
    theme_source: Mapped[str | None] = mapped_column(String(10))  # rules, model or staff
    theme_model: Mapped[str | None] = mapped_column(String(60))
    # Imported history (flask import messages): the export's own id, its category label,
    # and the supporters and opponents its platform counted.
    source_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    source_label: Mapped[str | None] = mapped_column(String(60))
    likes: Mapped[int | None]
    dislikes: Mapped[int | None]
    # A repeat (重复件): the same citizen's same matter again, linked to the first message of
    # the matter; counted once, with that first one, in every volume and figure.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")


class MessageEvent(db.Model):
    """One step of a message's handling: who moved it from which status to which, and why."""

    __tablename__ = "message_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # The citizen's evaluation, for an evaluate step: every one counts in 回访满意率, also an
    # unsatisfied one that reopened the message and was followed by another.
    evaluation: Mapped[str | None] = mapped_column(String(20))


class IdempotencyRecord(db.Model):
    """The answer given to a POST that carried an ``Idempotency-Key``, replayed on retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (
        UniqueConstraint("account_id", "key"),
        Index("ix_idempotency_records_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class AuditEvent(db.Model):
    """Who did or read what, when and from where: every read of unmasked text or contact
    details, every change of an account (and, later, of a status or an appeal). Written in
    the same transaction as what it records; never updated or deleted by the service."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    # The actor's id and name as they were: an account may be renamed or revoked later.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str | None] = mapped_column(String(40), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))


class RectificationCase(db.Model):
    """差评整改: opened by every 1-2 star rating; the rated department verifies it with the
    citizen (回访核实), rectifies (整改) and reports back (反馈); the citizen may rate that."""

    __tablename__ = "rectification_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    opened_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    due_at: Mapped[Timestamp] = mapped_column(index=True)
    verified_at: Mapped[Timestamp | None]
    verification_note: Mapped[str | None] = mapped_column(Text)
    rectified_at: Mapped[Timestamp | None]
    rectification_note: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[Timestamp | None]
    report_note: Mapped[str | None] = mapped_column(Text)
    citizen_stars: Mapped[int | None]
    citizen_rated_at: Mapped[Timestamp | None]

    rating: Mapped[Rating] = relationship(lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")


class Appeal(db.Model):
    """申诉复核: the rated department contests a rating as 误评 or 恶意差评; an official of the
    region decides. An upheld appeal takes the rating out of the figures, never out of the
    database. One appeal per rating."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    filed_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    filed_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[Timestamp | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating] = relationship(lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")


class RatingFlag(db.Model):
    """A rating flagged for review: its stars contradict its comment, or it came in a burst
    from one device or citizen. A flag never changes the rating; a reviewer dismisses or
    confirms it (and may then, say, uphold an appeal)."""

    __tablename__ = "rating_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    reviewed_at: Mapped[Timestamp | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    review_note: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating] = relationship(lazy="joined")


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
