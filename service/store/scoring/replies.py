"""Replies and their quality: the replies still to judge, the judged replies a new one is
compared with (those sharing a band key), and a judgement written with its signatures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update

from service.extensions import db
from service.models import Message, ReplyBand, ReplySignature
from service.store.facts import MESSAGES, day_of, mark_dirty
from service.store.transactions import transaction

#: Judged replies compared with a new one at most: enough to see a template, however many
#: times it was sent.
CANDIDATES = 400


@dataclass(frozen=True)
class Judgement:
    """What is written of one reply."""

    message_id: int
    score: int
    quality: str  # JSON: the parts and flags
    model: str
    replied_at: datetime | None  # its day's facts count it


@dataclass(frozen=True)
class Signed:
    """A judged reply as a new one is compared with it."""

    message_id: int
    reply_minhash: bytes
    message_minhash: bytes
    parts: str
    quality: str | None
    replied_at: datetime | None = None


def fetch_unjudged(version: str, ids: Iterable[int] | None = None, limit: int = 500) -> list:
    """Messages with a reply not judged by ``version`` (those of ``ids`` only, if given),
    oldest first: the order their replies were written in, as templates are found."""
    stale = or_(Message.reply_model.is_(None), Message.reply_model != version)
    query = select(Message).where(Message.reply.is_not(None), stale)
    if ids is not None:
        query = query.where(Message.id.in_(sorted(set(ids))))
    return list(db.session.scalars(query.order_by(Message.id).limit(limit)))


def count_unjudged(version: str) -> int:
    stale = or_(Message.reply_model.is_(None), Message.reply_model != version)
    query = select(func.count()).select_from(Message).where(Message.reply.is_not(None), stale)
    return db.session.scalar(query) or 0


def fetch_worst(scope, region_codes: Iterable[str] | None, start: datetime, end: datetime,
                limit: int, department_id: int | None = None) -> list:  # fmt: skip
    """The judged replies of [start, end) in ``scope`` and ``region_codes`` (None: all), of
    one department if given, lowest score first: a report's worst, to read."""
    query = select(Message).where(
        *scope.filters(Message), Message.reply_score.is_not(None),
        Message.replied_at >= start, Message.replied_at < end, Message.repeat_of_id.is_(None),
    )  # fmt: skip
    if region_codes is not None:
        query = query.where(Message.region_code.in_(sorted(region_codes)))
    if department_id is not None:
        query = query.where(Message.department_id == department_id)
    order = (Message.reply_score, Message.replied_at.desc(), Message.id)
    return list(db.session.scalars(query.order_by(*order).limit(limit)))


def fetch_alike(bands: Sequence[str], leave_out: int) -> list[Signed]:
    """The judged replies sharing a band key with ``bands``, the latest CANDIDATES first."""
    ids = (
        select(ReplyBand.message_id)
        .where(ReplyBand.band.in_(bands), ReplyBand.message_id != leave_out)
        .distinct()
        .order_by(ReplyBand.message_id.desc())
        .limit(CANDIDATES)
    )
    query = select(
        ReplySignature.message_id, ReplySignature.reply_minhash, ReplySignature.message_minhash,
        ReplySignature.parts, Message.reply_quality, Message.replied_at,
    ).join(Message, Message.id == ReplySignature.message_id).where(  # fmt: skip
        ReplySignature.message_id.in_(ids)
    )
    return [Signed(*row) for row in db.session.execute(query)]


def save(
    judgement: Judgement, signed: Signed, bands: Sequence[str], others: Sequence[Judgement]
) -> None:
    """Write a reply's judgement with its signatures and band keys, and the new judgements of
    ``others`` (the earlier sendings of a text now known to be a template), in one
    transaction; the days of the replies are marked for their facts' recount."""
    with transaction():
        db.session.execute(delete(ReplyBand).where(ReplyBand.message_id == signed.message_id))
        db.session.merge(
            ReplySignature(
                message_id=signed.message_id, reply_minhash=signed.reply_minhash,
                message_minhash=signed.message_minhash, parts=signed.parts,
            )
        )  # fmt: skip
        db.session.add_all(ReplyBand(band=band, message_id=signed.message_id) for band in bands)
        for written in (judgement, *others):
            db.session.execute(
                update(Message)
                .where(Message.id == written.message_id)
                .values(reply_score=written.score, reply_quality=written.quality,
                        reply_model=written.model)
                .execution_options(synchronize_session=False)
            )  # fmt: skip
        days = {day_of(w.replied_at) for w in (judgement, *others) if w.replied_at is not None}
        mark_dirty(MESSAGES, *days)
