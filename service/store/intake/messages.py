"""诉求 messages."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, insert, not_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from service.extensions import db
from service.models import Message, MessageEvent
from service.store.facts import MESSAGES, mark_dirty
from service.store.intake.idempotency import (
    IdempotencyKey,
    StoredAnswer,
    commit_created,
    twin_answer,
)
from service.store.paging import page_of
from service.store.reference import region_and_below
from service.store.transactions import transaction

if TYPE_CHECKING:
    from service.store.scopes import Scope

# Crockford's base32 without I, L, O, U: read aloud over the hotline without confusion.
_TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: What ``new_tracking_code`` makes, in either case (the lookup upper-cases): a regex for routes.
TRACKING_CODE_PATTERN = (
    "[Jj][Xx][0-9]{6}[" + _TRACKING_ALPHABET + _TRACKING_ALPHABET[10:].lower() + "]{8}"
)


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
            numbered = {**values, "tracking_code": new_tracking_code(values["created_at"])}
            return commit_created(Message, numbered, render, key, also)
        except IntegrityError:
            answer = twin_answer(key)
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
    theme_codes: Iterable[str | None] | None = None,
    created: tuple[datetime, datetime] | None = None,
    without_repeats: bool = False,
    ids: Iterable[int] | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Message], int]:
    """One page of the messages in ``scope``, newest first; ``region_code`` narrows to a region
    and everything under it (it cannot widen the scope), ``theme_codes`` to messages placed in
    one of them (None among them: unclassified), ``created`` to those accepted in [from, to);
    ``without_repeats`` leaves repeats out, as the counts of the figures and reports do;
    ``ids`` keeps only those."""
    query = select(Message).where(*scope.filters(Message))
    if theme_codes is not None:
        codes = [code for code in theme_codes if code is not None]
        placed = Message.theme_code.in_(codes)
        query = query.where(or_(placed, Message.theme_code.is_(None)) if None in theme_codes
                            else placed)  # fmt: skip
    if created is not None:
        query = query.where(Message.created_at >= created[0], Message.created_at < created[1])
    if without_repeats:
        query = query.where(Message.repeat_of_id.is_(None))
    if ids is not None:
        query = query.where(Message.id.in_(sorted(set(ids))))
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


def first_contact_not_made_yet():
    """The first contact is still to be made: the handler has not started the message."""
    return and_(Message.first_contact_at.is_(None), Message.status.in_(("accepted", "dispatched")))


def _deadlines_in(before: datetime, after: datetime | None):
    """The two 督办 conditions, for deadlines up to ``before`` (and, for the due-soon list,
    past ``after``): (the handling limit's, the first contact's when the handling limit is not
    in the window), so that a message is listed, and counted, for one deadline only."""

    def window(column):
        return column <= before if after is None else and_(column > after, column <= before)

    handling = and_(window(Message.due_at), limit_not_met_yet())
    first_contact = and_(
        window(Message.first_contact_due_at), first_contact_not_made_yet(), not_(handling)
    )
    return handling, first_contact


def count_overdue(
    now: datetime, *, region_codes: Iterable[str] | None, department_id: int | None = None
) -> tuple[int, int]:
    """The 督办 overdue list at ``now`` counted (fetch_due, with a deadline up to ``now``):
    (messages past their handling limit unmet, messages past only their first contact's).
    Counted live, the first through the partial index over open messages."""
    handling, first_contact = _deadlines_in(now, None)
    counts = []
    for condition in (handling, first_contact):
        query = select(func.count()).where(condition, Message.repeat_of_id.is_(None))
        if region_codes is not None:
            query = query.where(Message.region_code.in_(sorted(region_codes)))
        if department_id is not None:
            query = query.where(Message.department_id == department_id)
        counts.append(db.session.scalar(query))
    return counts[0], counts[1]


def fetch_due(
    scope: Scope,
    *,
    before: datetime,
    after: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[tuple[Message, str, datetime]], int]:
    """Open messages in ``scope`` with a deadline up to ``before`` (and, for the due-soon
    list, past ``after``), soonest deadline first: 督办. Two deadlines count: first contact
    (until the handler starts), and handling, which an ordinary matter meets by being closed
    and a difficult one by being answered. Each comes with the deadline that listed it:
    (message, "handling" or "first_contact", when it runs out). Repeats are left out, as in
    every count (a matter is chased as its first message), so that the list holds what
    count_overdue counts."""
    handling, first_contact = _deadlines_in(before, after)
    kind = case((handling, "handling"), else_="first_contact")
    deadline = case((handling, Message.due_at), else_=Message.first_contact_due_at)
    query = select(Message, kind, deadline).where(
        *scope.filters(Message), or_(handling, first_contact), Message.repeat_of_id.is_(None)
    )
    return page_of(query, (deadline, Message.id), page, page_size)


def in_region_exactly(region_code: str | None):
    """Messages of exactly ``region_code`` (None: of no known region), not of a region under
    it: the ones the same officials see as a message of ``region_code``
    (service/intake/repeats.py)."""
    if region_code is None:
        return Message.region_code.is_(None)
    return Message.region_code == region_code


def fetch_same_citizen(
    citizen_ref: str | None,
    contact_phone: str | None,
    region_code: str | None,
    since: datetime,
    before: datetime,
) -> list[Message]:
    """The messages sent by the same citizen (same reference or same contact number) about
    the same region (in_region_exactly) from ``since`` up to ``before``: where a repeat's
    first message is looked for."""
    same = []
    if citizen_ref:
        same.append(Message.citizen_ref == citizen_ref)
    if contact_phone:
        same.append(Message.contact_phone == contact_phone)
    if not same:
        return []
    query = select(Message).where(
        or_(*same),
        in_region_exactly(region_code),
        Message.created_at >= since,
        Message.created_at < before,
    )
    return list(db.session.scalars(query.order_by(Message.created_at)))


def fetch_linked_across_regions() -> list[Message]:
    """The repeats linked to a first message of another region (links made before repeats
    kept to one region), oldest first."""
    first = aliased(Message)
    query = (
        select(Message)
        .join(first, Message.repeat_of_id == first.id)
        .where(Message.region_code.is_distinct_from(first.region_code))
    )
    return list(db.session.scalars(query.order_by(Message.created_at, Message.id)))


def fetch_by_citizens(citizen_refs: Iterable[str]) -> list[Message]:
    """Every message of these citizens, oldest first (callers group them by region)."""
    refs = sorted(set(citizen_refs))
    found: list[Message] = []
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        found.extend(db.session.scalars(select(Message).where(Message.citizen_ref.in_(chunk))))
    return sorted(found, key=lambda m: (m.created_at, m.id))


def save_repeat_links(links: dict[int, int | None], days: Iterable[date]) -> None:
    """Point each message of ``links`` at the first of its matter (None: a matter of its own)
    and mark ``days`` for their figures, in one transaction."""
    with transaction():
        for message_id, first_id in links.items():
            db.session.execute(
                update(Message).where(Message.id == message_id).values(repeat_of_id=first_id)
            )
        mark_dirty(MESSAGES, *days)


def fetch_repeats(scope: Scope, message: Message) -> list[int]:
    """The ids of the messages in ``scope`` linked to ``message`` as repeats of it."""
    query = select(Message.id).where(Message.repeat_of_id == message.id, *scope.filters(Message))
    return list(db.session.scalars(query.order_by(Message.id)))


def fetch_ids_in_scope(scope: Scope, ids: Iterable[int | None]) -> set[int]:
    """Those of ``ids`` that are messages in ``scope``: the ones a view may name to it."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return set()
    if scope.region_codes is None and scope.department_id is None:
        return set(wanted)
    query = select(Message.id).where(Message.id.in_(wanted), *scope.filters(Message))
    return set(db.session.scalars(query))


def _counted_between(region_codes: Iterable[str] | None, start: datetime, end: datetime) -> list:
    """Messages sent from ``start`` up to ``end`` in ``region_codes`` (None: anywhere), each
    matter once (no repeats), and none confidential: their text is for the handler alone."""
    conditions = [
        Message.created_at >= start,
        Message.created_at < end,
        Message.repeat_of_id.is_(None),
        Message.confidential.is_(False),
    ]
    if region_codes is not None:
        conditions.append(Message.region_code.in_(sorted(region_codes)))
    return conditions


def count_between(region_codes: Iterable[str] | None, start: datetime, end: datetime) -> int:
    """How many messages ``fetch_for_analysis`` would return."""
    query = select(func.count()).where(*_counted_between(region_codes, start, end))
    return db.session.scalar(query)


def fetch_for_analysis(
    region_codes: Iterable[str] | None, start: datetime, end: datetime, head: int = 300
) -> list[tuple]:
    """(id, title, the text's first ``head`` characters, created_at, citizen_ref,
    contact_phone, region_code, likes, sentiment_label) of the messages sent from ``start``
    up to ``end``, oldest first."""
    m = Message
    query = select(
        m.id, m.title, func.substr(m.content, 1, head), m.created_at, m.citizen_ref,
        m.contact_phone, m.region_code, m.likes, m.sentiment_label,
    ).where(*_counted_between(region_codes, start, end))  # fmt: skip
    return [tuple(row) for row in db.session.execute(query.order_by(m.created_at, m.id))]


def fetch_theme_sample(
    region_codes: Iterable[str] | None, start: datetime, end: datetime, per_theme: int
) -> list[tuple]:
    """(theme_code, title, the text's start) of at most ``per_theme`` messages of each theme
    sent from ``start`` up to ``end``: spread over the period (every message's turn is drawn
    from its id), so that a theme's keywords cost the same in a week and in a year."""
    m = Message
    draw = (m.id % 10007) * 7919 % 10007  # a shuffle whose products stay in 32 bits
    turn = func.row_number().over(partition_by=m.theme_code, order_by=draw)
    drawn = (
        select(m.theme_code, m.title, func.substr(m.content, 1, 200), turn.label("turn"))
        .where(*_counted_between(region_codes, start, end))
        .subquery()
    )
    query = select(drawn.c.theme_code, drawn.c.title, drawn.c[2]).where(drawn.c.turn <= per_theme)
    return [tuple(row) for row in db.session.execute(query)]


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
    with transaction():
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Message), numbered)
        except IntegrityError:
            for row in numbered:
                if not _insert_one(row):
                    raced.add(row["source_id"])
        mark_dirty(MESSAGES, *days)
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
