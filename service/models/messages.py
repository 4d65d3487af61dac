"""Messages (诉求) and the events of their handling."""

from __future__ import annotations

import json

from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.columns import Timestamp, utcnow
from service.models.reference import Department


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
        # The judged replies by score: a report's worst of a period are the first few of a
        # period met walking up from the lowest score.
        Index(
            "ix_messages_reply_score",
            "reply_score",
            postgresql_where=text("reply_score IS NOT NULL"),
            sqlite_where=text("reply_score IS NOT NULL"),
        ),
        # The rows waiting to be scored (queue mode), as for ratings.
        Index(
            "ix_messages_pending_created_at",
            "created_at",
            postgresql_where=text("sentiment_model = 'pending'"),
            sqlite_where=text("sentiment_model = 'pending'"),
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
    # Its reply's quality (答复质量, analytics/replies/): 0-100, the parts and flags (JSON), and
    # the model that judged it; null until judged (queue mode: by a worker).
    reply_score: Mapped[int | None]
    reply_quality: Mapped[str | None] = mapped_column(Text)
    reply_model: Mapped[str | None] = mapped_column(String(30))
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

    @property
    def reply_judgement(self) -> dict | None:
        """The reply's quality as stored: score, parts, flags and model; None if not judged."""
        if self.reply_quality is None:
            return None
        return {"score": self.reply_score, **json.loads(self.reply_quality),
                "model": self.reply_model}  # fmt: skip


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


class ReplySignature(db.Model):
    """What a judged reply is compared with for templates: the MinHash signatures of its text
    and of its message (analytics/replies/templates.py), and its measured parts, from which
    it is judged again when a later reply shows its text to be a template."""

    __tablename__ = "reply_signatures"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    reply_minhash: Mapped[bytes] = mapped_column(LargeBinary)
    message_minhash: Mapped[bytes] = mapped_column(LargeBinary)
    parts: Mapped[str] = mapped_column(Text)


class ReplyBand(db.Model):
    """A judged reply's band keys: replies sharing one are compared, others never."""

    __tablename__ = "reply_bands"

    band: Mapped[str] = mapped_column(String(24), primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id"), primary_key=True, index=True
    )
