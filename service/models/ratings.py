"""好差评 ratings and what follows a 差评: its rectification case, appeals and integrity
flags."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.columns import Timestamp, utcnow
from service.models.reference import Department, ServiceItem


class Rating(db.Model):
    """A 好差评 rating of one handled service (办件), one per transaction and channel."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("transaction_id", "channel"),
        Index("ix_ratings_item_device_time", "service_item_id", "device_id", "created_at"),
        Index("ix_ratings_item_citizen_time", "service_item_id", "citizen_ref", "created_at"),
        # The rows waiting to be scored (queue mode): what the sweeper and the metrics read,
        # never more than a backlog, however many ratings are scored.
        Index(
            "ix_ratings_pending_created_at",
            "created_at",
            postgresql_where=text("sentiment_model = 'pending'"),
            sqlite_where=text("sentiment_model = 'pending'"),
        ),
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
