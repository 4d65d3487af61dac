"""Who calls and what they did: accounts, dashboard sessions, stored Idempotency-Key
answers and the audit trail."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.columns import Timestamp, utcnow
from service.models.reference import Department


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
