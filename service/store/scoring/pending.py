"""Rows waiting to be scored (queue mode), and their scores written exactly once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from service.extensions import db
from service.models import Message, Rating
from service.store.facts import MESSAGES, RATINGS, day_of, mark_dirty
from service.store.intake.flags import add_flags
from service.store.transactions import transaction

#: The sentiment_model (and label) of a row whose scoring is still to come.
PENDING = "pending"
TABLES = {"message": Message, "rating": Rating}


def fetch_pending(kind: str, ids: Iterable[int], more: int = 0) -> list:
    """The rows of ``ids`` still pending (those scored meanwhile left out), and up to ``more``
    other pending rows, oldest first, that no other worker holds: a worker that finds the
    queue behind scores in batches, which costs a fraction per row. The rows stay locked
    (on PostgreSQL) until the scores are committed."""
    table = TABLES[kind]
    pending = table.sentiment_model == PENDING
    query = select(table).where(table.id.in_(sorted(set(ids))), pending)
    rows = list(
        db.session.scalars(query.order_by(table.id).with_for_update(skip_locked=True, of=table))
    )
    if more:
        others = (
            select(table)
            .where(pending, table.id.not_in([row.id for row in rows] or [0]))
            .order_by(table.id)
            .limit(more)
            .with_for_update(skip_locked=True, of=table)
        )
        rows += db.session.scalars(others)
    if not rows:
        db.session.commit()  # nothing claimed: end the transaction the claim began
    return rows


def pending_backlog() -> dict[str, tuple[int, datetime | None]]:
    """Per kind, how many rows wait to be scored and when the oldest of them was stored: an
    index of the pending rows alone answers it, however many are scored."""
    found = {}
    for kind, table in TABLES.items():
        query = select(func.count(), func.min(table.created_at))
        found[kind] = tuple(db.session.execute(query.where(table.sentiment_model == PENDING)).one())
    db.session.commit()  # a read: no transaction left open
    return found


def fetch_stale_ids(kind: str, before: datetime, limit: int) -> list[int]:
    """Ids of rows pending since before ``before``: their job was lost, or is late."""
    table = TABLES[kind]
    query = select(table.id).where(table.sentiment_model == PENDING, table.created_at < before)
    return list(db.session.scalars(query.order_by(table.id).limit(limit)))


def save_scores(kind: str, scores: list[dict[str, Any]]) -> int:
    """Write each row's scores (a dict with its ``id`` and columns; a rating's ``flags`` and
    its ``created_at`` ride along) if it is still pending, mark the days it counts in, and
    commit; returns how many rows this call scored. A second run of the same job finds them
    scored and writes nothing: the condition on the pending mark makes the effect once."""
    table = TABLES[kind]
    written, days = 0, set()
    with transaction():
        for row in scores:
            columns = {
                k: v for k, v in row.items() if k not in ("id", "flags", "created_at", "values")
            }
            result = db.session.execute(
                update(table)
                .where(table.id == row["id"], table.sentiment_model == PENDING)
                .values(**columns)
            )
            if result.rowcount:
                written += 1
                days.add(day_of(row["created_at"]))
                if row.get("flags"):
                    add_flags(row["id"], row["values"], row["flags"])
        mark_dirty(RATINGS if kind == "rating" else MESSAGES, *days)
    return written
