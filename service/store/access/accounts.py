"""API accounts and their tokens. A token is shown once, at creation; only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import Account, AuditEvent, DashboardSession
from service.store.conflicts import NameTaken
from service.store.paging import page_of
from service.store.transactions import transaction

TOKEN_PREFIX = "ms_"


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def create_account(
    name: str,
    role: str,
    *,
    region_code: str | None = None,
    department_id: int | None = None,
    expires_at: datetime | None = None,
    audit: AuditEvent | None = None,
    answer: Callable[[Account], None] | None = None,
) -> tuple[Account, str]:
    """Create an account, with its audit event in the same commit; returns it with its plain
    token, which is not stored anywhere. ``answer`` is called once the account has its id,
    inside the transaction, to add what must commit with it (an Idempotency-Key's answer)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    account = Account(
        name=name,
        role=role,
        token_hash=hash_token(token),
        region_code=region_code,
        department_id=department_id,
        expires_at=expires_at,
    )
    db.session.add(account)
    with transaction():
        try:
            db.session.flush()
        except IntegrityError as error:  # the name is the one unique column a caller chooses
            raise NameTaken(name) from error
        if audit is not None:
            audit.object_id = str(account.id)
            db.session.add(audit)
        if answer is not None:
            answer(account)
    return account, token


# Built once: every API request runs it, and a reused statement skips SQLAlchemy's
# per-call statement construction and cache-key work.
_LIVE_ACCOUNT_BY_TOKEN = select(Account).where(
    Account.token_hash == bindparam("token_hash"),
    Account.revoked_at.is_(None),
    or_(Account.expires_at.is_(None), Account.expires_at > bindparam("now")),
)


def fetch_account_by_token_hash(token_hash: str, now: datetime | None = None) -> Account | None:
    """The live account (not revoked, not expired) whose token has this hash."""
    parameters = {"token_hash": token_hash, "now": now or datetime.now(UTC)}
    return db.session.scalar(_LIVE_ACCOUNT_BY_TOKEN, parameters)


def fetch_account_by_name(name: str) -> Account | None:
    return db.session.scalar(select(Account).where(Account.name == name))


def fetch_account(account_id: int) -> Account | None:
    return db.session.get(Account, account_id)


def fetch_accounts(*, page: int = 1, page_size: int = 1000) -> tuple[list[Account], int]:
    return page_of(select(Account), Account.id, page, page_size)


def revoke_account(
    account: Account, now: datetime | None = None, audit: AuditEvent | None = None
) -> Account:
    """Revoke at once, with the audit event in the same commit."""
    with transaction():
        account.revoked_at = now or datetime.now(UTC)
        if audit is not None:
            db.session.add(audit)
    return account


def update_password_hash(account: Account, password_hash: str, audit: AuditEvent) -> Account:
    """Set the account's password (its hash), with the audit event in the same commit."""
    with transaction():
        account.password_hash = password_hash
        db.session.add(audit)
    return account


def fetch_live_account(account_id: int, now: datetime | None = None) -> Account | None:
    """The account of ``account_id`` if it is live: not revoked, not expired."""
    account = db.session.get(Account, account_id)
    now = now or datetime.now(UTC)
    if account is None or account.revoked_at is not None:
        return None
    if account.expires_at is not None and account.expires_at <= now:
        return None
    return account


def create_dashboard_session(
    account_id: int, id_hash: str, now: datetime, started_before: datetime
) -> None:
    """Record a dashboard sign-in, and drop every session that began before
    ``started_before``: past the longest a session lasts, no cookie can use it any more."""
    with transaction():
        db.session.execute(
            delete(DashboardSession).where(DashboardSession.started_at < started_before)
        )
        db.session.add(DashboardSession(id_hash=id_hash, account_id=account_id, started_at=now))


def fetch_dashboard_session(id_hash: str, account_id: int) -> DashboardSession | None:
    """The live dashboard session of ``account_id`` with this id (None once it ended)."""
    found = db.session.get(DashboardSession, id_hash)
    return found if found is not None and found.account_id == account_id else None


def delete_dashboard_session(id_hash: str) -> None:
    """End a dashboard session: its cookie, sent again, is refused."""
    with transaction():
        db.session.execute(delete(DashboardSession).where(DashboardSession.id_hash == id_hash))
