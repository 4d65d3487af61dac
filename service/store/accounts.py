"""API accounts and their tokens. A token is shown once, at creation; only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import bindparam, or_, select

from service.extensions import db
from service.models import Account

TOKEN_PREFIX = "ms_"


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def create_account(name: str, role: str, expires_at: datetime | None = None) -> tuple[Account, str]:
    """Create an account; returns it with its plain token, which is not stored anywhere."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    account = Account(name=name, role=role, token_hash=hash_token(token), expires_at=expires_at)
    db.session.add(account)
    db.session.commit()
    return account, token


# Built once: every API request runs it, and a reused statement skips SQLAlchemy's
# per-call statement construction and cache-key work.
_LIVE_ACCOUNT_BY_TOKEN = select(Account).where(
    Account.token_hash == bindparam("token_hash"),
    Account.revoked_at.is_(None),
    or_(Account.expires_at.is_(None), Account.expires_at > bindparam("now")),
)


def fetch_account_by_token(token: str, now: datetime | None = None) -> Account | None:
    """The live account holding ``token``: not revoked, not expired."""
    parameters = {"token_hash": hash_token(token), "now": now or datetime.now(UTC)}
    return db.session.scalar(_LIVE_ACCOUNT_BY_TOKEN, parameters)


def fetch_account_by_name(name: str) -> Account | None:
    return db.session.scalar(select(Account).where(Account.name == name))


def fetch_accounts() -> list[Account]:
    return list(db.session.scalars(select(Account).order_by(Account.id)))


def revoke_account(account: Account, now: datetime | None = None) -> Account:
    account.revoked_at = now or datetime.now(UTC)
    db.session.commit()
    return account
