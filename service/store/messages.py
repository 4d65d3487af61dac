"""诉求 messages."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, insert, not_, or_, select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import Message, MessageEvent
from service.store.facts import MESSAGES, mark_dirty
from service.store.idempotency import IdempotencyKey, StoredAnswer, commit_created, fetch_answer
from service.store.paging import page_of
from service.store.reference import region_and_below

if TYPE_CHECKING:
    from service.scope import Scope

# Crockford's base32 without I, L, O, U: read aloud over the hotline without confusion.
_TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code(now: datetime | None = None) -> str:
    """``JX`` + date + 8 random characters (40 bits): unguessable, as the code alone reads the
    message's status."""
    day = (now or datetime.now(UTC)).strftime("%y%m%d")
    return "JX" + day + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(8))


def fetch_message_by_tracking_code(code: str) -> Message | None:
    return db.session.scalar(select(Message).where(Message.tracking_code == code.upper()))


def create_message(
    values: dict[str, Any],
    render: Callable[[dict[str, Any]], dict],
    key: IdempotencyKey | None,
    also: Callable[[int], dict[str, Any]] | None = None,
) -> StoredAnswer:
    """Store a new message with a fresh tracking code and its idempotency record (and what
    ``also`` writes, in the same transaction); a concurrent twin (same key) gets the twin's
    answer, and a tracking code collision is drawn again."""
    for _ in range(3):
        try:
            numbered = {**values, "tracking_code": new_tracking_code()}
            return commit_created(Message, numbered, render, key, also)
        except IntegrityError:
            answer = fetch_answer(key) if key else None
            if answer is not None:
                return answer
    raise RuntimeError("could not store the message after three attempts")


def fetch_message(scope: Scope, message_id: int) -> Message | None:
    """The message if it lies in ``scope``; None whether it is out of scope or absent."""
    return db.session.scalar(
        select(Message).where(Message.id == message_id, *scope.filters(Message))
    )


def fetch_messages(
    scope: Scope,
    *,
    status: str | None = None,
    type: str | None = None,
    region_code: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Message], int]:
    """One page of the messages in ``scope``, newest first; ``region_code`` narrows to a region
    and everything under it (it cannot widen the scope)."""
    query = select(Message).where(*scope.filters(Message))
    if status is not None:
        query = query.where(Message.status == status)
    if type is not None:
        query = query.where(Message.type == type)
    if region_code is not None:
        query = query.where(Message.region_code.in_(sorted(region_and_below(region_code))))
    return page_of(query, Message.id.desc(), page, page_size)


def fetch_events(message: Message) -> list[MessageEvent]:
    return list(
        db.session.scalars(
            select(MessageEvent)
            .where(MessageEvent.message_id == message.id)
            .order_by(MessageEvent.id)
        )
    )


def limit_not_met_yet():
    """The handling limit is still to be met: an ordinary matter until it is closed, a
    difficult one until it is answered."""
    return and_(
        Message.status != "closed",
        not_(and_(Message.difficulty == "difficult", Message.status == "replied")),
    )


def count_overdue(
    now: datetime, *, region_codes: Iterable[str] | None, department_id: int | None = None
) -> int:
    """Messages whose handling limit has run out by ``now`` unmet (超期 as it stands, counted
    live through the partial index over open messages)."""
    query = select(func.count()).where(Message.due_at <= now, limit_not_met_yet())
    if region_codes is not None:
        query = query.where(Message.region_code.in_(sorted(region_codes)))
    if department_id is not None:
        query = query.where(Message.department_id == department_id)
    return db.session.scalar(query)


def fetch_due(
    scope: Scope,
    *,
    before: datetime,
    after: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Message], int]:
    """Open messages in ``scope`` with a deadline before ``before`` (and, for the due-soon
    list, not before ``after``), soonest first: 督办. Two deadlines count: first contact (until
    the handler starts), and handling, which an ordinary matter meets by being closed and a
    difficult one by being answered."""

    def window(column):
        return column < before if after is None else and_(column >= after, column < before)

    handling = and_(window(Message.due_at), limit_not_met_yet())
    first_contact = and_(
        window(Message.first_contact_due_at),
        Message.first_contact_at.is_(None),
        Message.status.in_(("accepted", "dispatched")),
    )
    query = select(Message).where(*scope.filters(Message), or_(handling, first_contact))
    return page_of(query, Message.due_at, page, page_size)


def fetch_source_ids(source_ids: Iterable[str]) -> set[str]:
    """Which of ``source_ids`` are stored already (imported before)."""
    wanted = sorted(set(source_ids))
    found = db.session.scalars(select(Message.source_id).where(Message.source_id.in_(wanted)))
    return set(found)


def add_imported(rows: list[dict[str, Any]], days: Iterable[date]) -> tuple[int, set[str]]:
    """Store imported messages (each with a fresh tracking code) and mark ``days`` for their
    figures, in one transaction; returns how many were stored, and the source ids another
    import stored meanwhile (left out, one savepoint each, after the batch was refused)."""
    if not rows:
        return 0, set()
    numbered = [{**row, "tracking_code": new_tracking_code(row["created_at"])} for row in rows]
    raced: set[str] = set()
    try:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Message), numbered)
        except IntegrityError:
            for row in numbered:
                if not _insert_one(row):
                    raced.add(row["source_id"])
        mark_dirty(MESSAGES, *days)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(rows) - len(raced), raced


def _insert_one(row: dict[str, Any]) -> bool:
    """Insert one imported row in a savepoint: False if its source id is taken; a tracking
    code drawn twice is drawn again."""
    for _ in range(3):
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Message), [row])
            return True
        except IntegrityError:
            if fetch_source_ids([row["source_id"]]):
                return False
            row = {**row, "tracking_code": new_tracking_code(row["created_at"])}
    raise RuntimeError("could not store the message after three attempts")
