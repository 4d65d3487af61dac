"""好差评 ratings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import Rating
from service.store.conflicts import DuplicateRating
from service.store.idempotency import IdempotencyKey, StoredAnswer, commit_created, fetch_answer


def fetch_rating_for_transaction(transaction_id: str, channel: str) -> Rating | None:
    return db.session.scalar(
        select(Rating).where(Rating.transaction_id == transaction_id, Rating.channel == channel)
    )


def refuse_duplicate(transaction_id: str, channel: str) -> None:
    """Raise DuplicateRating when this transaction was already rated on this channel."""
    existing = fetch_rating_for_transaction(transaction_id, channel)
    if existing is not None:
        raise DuplicateRating(transaction_id, channel, existing.id)


def create_rating(
    values: dict[str, Any], render: Callable[[dict[str, Any]], dict], key: IdempotencyKey | None
) -> StoredAnswer:
    """Store a new rating with its idempotency record, or explain why not.

    A concurrent twin of this request (same key) gets the twin's answer; a second rating of the
    same transaction and channel raises DuplicateRating. The unique constraint decides, not a
    prior read, so the common case costs one round trip and the race has one outcome.
    """
    try:
        return commit_created(Rating, values, render, key)
    except IntegrityError:
        answer = fetch_answer(key) if key else None
        if answer is not None:
            return answer
        refuse_duplicate(values["transaction_id"], values["channel"])
        raise
