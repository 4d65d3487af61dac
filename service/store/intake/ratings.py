"""好差评 ratings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from analytics.sentiment import NEGATIVE, POSITIVE
from service.extensions import db
from service.models import Rating
from service.store.conflicts import DuplicateRating
from service.store.intake.idempotency import (
    IdempotencyKey,
    StoredAnswer,
    commit_created,
    twin_answer,
)
from service.store.paging import page_of
from service.store.reference import region_and_below

if TYPE_CHECKING:
    from service.store.scopes import Scope


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
    values: dict[str, Any],
    render: Callable[[dict[str, Any]], dict],
    key: IdempotencyKey | None,
    also: Callable[[int], dict[str, Any]] | None = None,
) -> StoredAnswer:
    """Store a new rating with its idempotency record, or explain why not.

    A concurrent twin of this request (same key) gets the twin's answer; a second rating of the
    same transaction and channel raises DuplicateRating. The unique constraint decides, not a
    prior read, so the common case costs one round trip and the race has one outcome.
    """
    try:
        return commit_created(Rating, values, render, key, also)
    except IntegrityError:
        answer = twin_answer(key)
        if answer is not None:
            return answer
        refuse_duplicate(values["transaction_id"], values["channel"])
        raise


def fetch_rating(scope: Scope, rating_id: int) -> Rating | None:
    """The rating if it lies in ``scope``; None whether it is out of scope or absent."""
    return db.session.scalar(select(Rating).where(Rating.id == rating_id, *scope.filters(Rating)))


def fetch_ratings(
    scope: Scope,
    *,
    region_code: str | None = None,
    bad_only: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Rating], int]:
    """One page of the ratings in ``scope``, newest first; ``bad_only`` keeps the 差评."""
    query = select(Rating).where(*scope.filters(Rating))
    if region_code is not None:
        query = query.where(Rating.region_code.in_(sorted(region_and_below(region_code))))
    if bad_only:
        query = query.where(Rating.stars <= 2)
    return page_of(query, Rating.id.desc(), page, page_size)


def fetch_rated_comments() -> tuple[list[str], list[str]]:
    """The comments of valid ratings that take a side, labelled by their stars: 1-2 negative,
    4-5 positive; 3 stars and empty comments are left out."""
    rows = db.session.execute(
        select(Rating.comment, Rating.stars).where(
            Rating.valid.is_(True), Rating.comment.is_not(None), Rating.stars != 3
        )
    )
    texts, labels = [], []
    for comment, stars in rows:
        if comment.strip():
            texts.append(comment)
            labels.append(POSITIVE if stars >= 4 else NEGATIVE)
    return texts, labels
