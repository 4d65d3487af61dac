"""Idempotency keys: a retried POST gets the first answer back and creates nothing.

A request first claims its key (``claim``: a record with no answer yet, committed at once), so
that of two requests with one key sent at the same moment exactly one does the work; the other
finds the claim and waits for its answer. The answer is stored in the same transaction as the
row it reports, so a key is never answered for a write that rolled back, and a write is never
committed without its answer; a request refused (or failed) gives its claim up (``release``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import IdempotencyRecord
from service.store.conflicts import IdempotencyKeyReused
from service.store.transactions import transaction


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


#: The status of a claimed key whose answer is still being made.
CLAIMED = 0
#: What ``claim`` returns when another request holds the key and has not answered yet.
IN_PROGRESS = StoredAnswer(CLAIMED, "", replayed=True)


def _of(key: IdempotencyKey):
    return (IdempotencyRecord.account_id == key.account_id, IdempotencyRecord.key == key.key)


def fetch_answer(key: IdempotencyKey, now: datetime | None = None) -> StoredAnswer | None:
    """The stored answer for ``key`` (IN_PROGRESS while the request that claimed it runs);
    IdempotencyKeyReused when the key was used for a different request."""
    record = db.session.scalar(select(IdempotencyRecord).where(*_of(key)))
    if record is None:
        return None
    if record.created_at < (now or datetime.now(UTC)) - key.ttl:
        with transaction():
            db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))
        return None
    if record.fingerprint != key.fingerprint:
        raise IdempotencyKeyReused(key.key)
    if record.status_code == CLAIMED:
        return IN_PROGRESS
    return StoredAnswer(record.status_code, record.response_body, replayed=True)


def twin_answer(key: IdempotencyKey | None) -> StoredAnswer | None:
    """After a unique constraint refused this request's row: the answer a twin with ``key``
    stored first, or None. A request that claimed its key (every API view's) finds its own
    claim, which is no answer: the refusal is its own (a duplicate, a code drawn twice)."""
    answer = fetch_answer(key) if key is not None else None
    return None if answer is IN_PROGRESS else answer


def claim(
    key: IdempotencyKey, abandoned_after: timedelta, now: datetime | None = None
) -> StoredAnswer | None:
    """Claim ``key`` for the request at hand, committed at once: None when it is ours to
    answer; else the stored answer, or IN_PROGRESS while the request that claimed it runs. A
    claim older than ``abandoned_after`` was left by a request that died (its process killed
    between claim and answer): it is taken over. The unique (account, key) decides a race."""
    now = now or datetime.now(UTC)
    for _ in range(3):
        found = fetch_answer(key, now)
        if found is IN_PROGRESS:
            db.session.execute(
                delete(IdempotencyRecord).where(
                    *_of(key),
                    IdempotencyRecord.status_code == CLAIMED,
                    IdempotencyRecord.created_at < now - abandoned_after,
                )
            )
        elif found is not None:
            return found
        try:
            with transaction():
                db.session.add(_record(key, CLAIMED, ""))
            return None
        except IntegrityError:
            pass  # a twin claimed it first: read what it holds
    return fetch_answer(key, now) or IN_PROGRESS


def release(key: IdempotencyKey) -> None:
    """Give up the claim on ``key`` of a request that was refused or failed: no answer is
    kept for it, and a retry runs anew. An answered key is left as it is."""
    db.session.rollback()  # what the refused or failed request left unfinished
    with transaction():
        db.session.execute(
            delete(IdempotencyRecord).where(*_of(key), IdempotencyRecord.status_code == CLAIMED)
        )


def add_answer(key: IdempotencyKey, status_code: int, body: str) -> None:
    """Add the answer to ``key`` to the current transaction (filling in its claim); the caller
    commits it."""
    answered = db.session.execute(
        update(IdempotencyRecord)
        .where(*_of(key))
        .values(fingerprint=key.fingerprint, status_code=status_code, response_body=body)
        .execution_options(synchronize_session=False)
    ).rowcount
    if answered == 0:  # not claimed first (a caller outside the API's views)
        db.session.add(_record(key, status_code, body))


def purge_expired_answers(ttl: timedelta, now: datetime | None = None) -> int:
    """Delete stored answers older than ``ttl``; returns how many. Run it daily (cron)."""
    cutoff = (now or datetime.now(UTC)) - ttl
    with transaction():
        deleted = db.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)
        ).rowcount
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
    with transaction():
        row = db.session.execute(_insert_returning(table.__table__), values).one()
        extra = also(row.id) if also is not None else {}
        body = as_json(render({**values, "id": row.id, "created_at": row.created_at, **extra}))
        if key is not None:
            add_answer(key, 201, body)
    return StoredAnswer(201, body, replayed=False)


def _record(key: IdempotencyKey, status_code: int, body: str) -> IdempotencyRecord:
    return IdempotencyRecord(
        account_id=key.account_id,
        key=key.key,
        fingerprint=key.fingerprint,
        status_code=status_code,
        response_body=body,
    )
