"""Idempotency keys: a retried POST gets the first answer back and creates nothing.

The answer is stored in the same transaction as the row it reports, so a key is never
recorded for a write that rolled back, and a write is never committed without its key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Table, delete, insert, select

from service.extensions import db
from service.models import IdempotencyRecord
from service.store.conflicts import IdempotencyKeyReused


@dataclass(frozen=True)
class IdempotencyKey:
    account_id: int
    key: str
    fingerprint: str
    ttl: timedelta


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: str
    replayed: bool


def as_json(answer: dict) -> str:
    """An answer as the service sends it: compact, Chinese left readable."""
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests "the same" for one key: method, path and body (the caller
    passes the body as canonical JSON, so key order and spacing do not count)."""
    return hashlib.sha256(b"\n".join((method.encode(), path.encode(), body))).hexdigest()


def fetch_answer(key: IdempotencyKey, now: datetime | None = None) -> StoredAnswer | None:
    """The stored answer for ``key``; IdempotencyKeyReused when the key was used for a
    different request."""
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.account_id == key.account_id, IdempotencyRecord.key == key.key
        )
    )
    if record is None:
        return None
    if record.created_at < (now or datetime.now(UTC)) - key.ttl:
        db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))
        db.session.commit()
        return None
    if record.fingerprint != key.fingerprint:
        raise IdempotencyKeyReused(key.key)
    return StoredAnswer(record.status_code, record.response_body, replayed=True)


def add_answer(key: IdempotencyKey, status_code: int, body: str) -> None:
    """Add the answer to ``key`` to the current transaction; the caller commits it."""
    db.session.add(
        IdempotencyRecord(
            account_id=key.account_id,
            key=key.key,
            fingerprint=key.fingerprint,
            status_code=status_code,
            response_body=body,
        )
    )


def purge_expired_answers(ttl: timedelta, now: datetime | None = None) -> int:
    """Delete stored answers older than ``ttl``; returns how many. Run it daily (cron)."""
    cutoff = (now or datetime.now(UTC)) - ttl
    deleted = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)
    ).rowcount
    db.session.commit()
    return deleted


@cache
def _insert_returning(table: Table):
    # One statement object per table, so SQLAlchemy's compiled cache is hit on every request.
    return insert(table).returning(table.c.id, table.c.created_at)


def commit_created(
    table: type[db.Model],
    values: dict[str, Any],
    render: Callable[[dict[str, Any]], dict],
    key: IdempotencyKey | None,
    also: Callable[[int], dict[str, Any]] | None = None,
) -> StoredAnswer:
    """Insert one row of ``values``, render the 201 answer, and commit both with the key's record.

    ``render`` gets ``values`` with the row's ``id`` and ``created_at``, and whatever ``also``
    (called with the new id, in the same transaction) returns. One INSERT … RETURNING,
    not an ORM flush: this is the hot path of every intake request. Raises ``IntegrityError``
    (after rolling back) when a unique constraint refuses the row or the key; the caller knows
    which conflicts its resource can have.
    """
    try:
        row = db.session.execute(_insert_returning(table.__table__), values).one()
        extra = also(row.id) if also is not None else {}
        body = as_json(render({**values, "id": row.id, "created_at": row.created_at, **extra}))
        if key is not None:
            add_answer(key, 201, body)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return StoredAnswer(201, body, replayed=False)
