"""Marks on the days whose facts must be recounted: appended by every write in its own
transaction, taken off by ``drain`` a day at a time; and how many times each day was recounted,
which keys the cached reports."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from analytics.kpis import reportable
from analytics.workdays import SHANGHAI
from service.extensions import db
from service.models import (
    DirtyMark,
    FactVersion,
)
from service.store.transactions import transaction

RATINGS = "ratings"
MESSAGES = "messages"

log = logging.getLogger(__name__)


def day_of(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of ``moment``: the day figures count it in."""
    return moment.astimezone(SHANGHAI).date()


def due_day(deadline: datetime) -> date:
    """The day a time limit runs out on: deadlines fall at the end of a day, the midnight
    that starts the next."""
    return day_of(deadline - timedelta(microseconds=1))


def mark_dirty(kind: str, *days: date) -> None:
    """Mark ``days`` for recomputation, in the caller's transaction: one mark appended per day
    (an insert, which waits on no other transaction's mark: a day's intakes never queue on a
    shared row).

    A day no report can be about (analytics.kpis.reportable) is not marked: a day near the
    calendar's ends cannot be recounted (its periods overflow), and its mark would fail every
    read that recounts until deleted by hand."""
    refused = {day for day in days if not reportable(day)}
    if refused:
        log.warning(
            "%d days no report is about not marked for a recount of %s: %s to %s",
            len(refused),
            kind,
            min(refused),
            max(refused),
        )
    if not (days := set(days) - refused):
        return
    marks = [{"kind": kind, "day": day} for day in sorted(days)]
    db.session.execute(_INSERT_MARK, marks[0] if len(marks) == 1 else marks)


# Core, built once: every intake transaction runs it, and the ORM's bulk insert cost a
# seventh of a rating's CPU time.
_INSERT_MARK = insert(DirtyMark.__table__)


def dialect():
    return postgresql if db.engine.dialect.name == "postgresql" else sqlite


def mark_for_recount(days: Iterable[date]) -> None:
    """Mark ``days`` for a recount of all their facts, and commit."""
    days = list(days)
    with transaction():
        mark_dirty(RATINGS, *days)
        mark_dirty(MESSAGES, *days)


def mark_message_days(*moments: datetime | None, deadlines: Iterable[datetime | None] = ()) -> None:
    """Mark the message facts of the days of ``moments`` (acceptance, closing, evaluation) and
    of the days ``deadlines`` run out on."""
    mark_dirty(MESSAGES, *message_days(*moments, deadlines=deadlines))


def message_days(*moments: datetime | None, deadlines: Iterable[datetime | None] = ()) -> set[date]:
    """The days whose message facts ``moments`` and ``deadlines`` count in."""
    return {day_of(m) for m in moments if m} | {due_day(d) for d in deadlines if d}


def count_dirty() -> int:
    """How many days wait for a recount, of every kind."""
    marked = select(DirtyMark.kind, DirtyMark.day).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(marked)) or 0


def dirty_days(kind: str) -> list[date]:
    """The days of ``kind`` that wait for a recount."""
    return list(db.session.scalars(select(DirtyMark.day).where(DirtyMark.kind == kind).distinct()))


def drain(
    kind: str, recompute: Callable[[date], None], progress: Callable[[int], None] | None = None
) -> int:
    """Recompute every dirty day of ``kind``; returns how many. Each day in one transaction:
    its marks are deleted first, then the day recomputed. A write committed before that
    delete has its mark deleted and its rows counted (each statement after it sees them); a
    write committed later keeps its mark, which the delete never saw, and is recomputed on the
    next drain. Two processes draining the same day take turns (on PostgreSQL, an advisory
    lock per day: the writers that mark days never wait for it); the second finds the marks
    gone and skips the day. ``progress`` hears of every day taken off the list, recounted or
    skipped."""
    recounted = 0
    for day in dirty_days(kind):
        with transaction():
            _take_turn(kind, day)
            cleared = db.session.execute(
                delete(DirtyMark).where(DirtyMark.kind == kind, DirtyMark.day == day)
            ).rowcount
            if cleared:  # else recounted by another process while this one waited
                recompute(day)
                statement = dialect().insert(FactVersion).values(day=day, version=1)
                db.session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["day"], set_={"version": FactVersion.version + 1}
                    )
                )
                recounted += 1
        if progress is not None:
            progress(1)
    return recounted


def _take_turn(kind: str, day: date) -> None:
    """Wait for any other recount of ``day`` to commit (PostgreSQL; SQLite has one writer)."""
    if db.engine.dialect.name == "postgresql":
        key = zlib.crc32(f"facts:{kind}:{day.isoformat()}".encode())
        db.session.execute(select(func.pg_advisory_xact_lock(key)))


def fetch_versions(first: date, last: date) -> list[tuple[date, int]]:
    """How many times each day from ``first`` up to ``last`` was recounted (days never
    recounted are absent): what a cached report is keyed by."""
    query = select(FactVersion.day, FactVersion.version).where(
        FactVersion.day >= first, FactVersion.day < last
    )
    return [tuple(row) for row in db.session.execute(query.order_by(FactVersion.day))]
