"""Reading stored texts scored by an older model, and writing their new scores, a batch per
transaction: short transactions that intake never waits long behind, and a run that stops
half-way simply leaves the rest still marked by the old version for the next run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, bindparam, false, func, or_, select, update

from service.extensions import db
from service.models import Message, Rating
from service.store.facts import MESSAGES, RATINGS, mark_dirty
from service.store.transactions import transaction


def _stale_sentiment(model, version: str):
    return model.sentiment_model != version


def _stale_theme(version: str | None):
    """Messages placed by another theme model than ``version`` (None: no theme is asked for)."""
    if version is None:
        return false()
    return and_(
        or_(Message.theme_model.is_(None), Message.theme_model != version),
        or_(Message.theme_source.is_(None), Message.theme_source != "staff"),
    )


def count_stale_ratings(version: str) -> int:
    return db.session.scalar(select(func.count()).where(_stale_sentiment(Rating, version)))


def count_stale_messages(sentiment_version: str, theme_version: str | None) -> int:
    stale = or_(_stale_sentiment(Message, sentiment_version), _stale_theme(theme_version))
    return db.session.scalar(select(func.count()).select_from(Message).where(stale))


def fetch_stale_ratings(version: str, after_id: int, limit: int) -> list:
    return db.session.execute(
        select(Rating.id, Rating.comment, Rating.stars, Rating.created_at)
        .where(_stale_sentiment(Rating, version), Rating.id > after_id)
        .order_by(Rating.id)
        .limit(limit)
    ).all()


def fetch_stale_messages(
    sentiment_version: str, theme_version: str | None, after_id: int, limit: int
):
    stale = or_(_stale_sentiment(Message, sentiment_version), _stale_theme(theme_version))
    return db.session.execute(
        select(Message.id, Message.title, Message.content, Message.created_at)
        .where(stale, Message.id > after_id)
        .order_by(Message.id)
        .limit(limit)
    ).all()


SENTIMENT = ("sentiment_score", "sentiment_label", "sentiment_model")
RATING_SENTIMENT = (*SENTIMENT, "comment_label")
THEME = ("theme_code", "theme_confidence", "theme_source", "theme_model")


def save_rating_scores(rows: Sequence[dict], days: set[date]) -> None:
    """``rows``: id and the RATING_SENTIMENT columns; ``days`` whose rating figures change
    with them. One transaction."""
    _commit([_by_id(Rating, RATING_SENTIMENT, rows)], RATINGS, days)


def save_message_scores(rows: Sequence[dict], days: set[date], *, themes: bool = True) -> None:
    """Like ``save_rating_scores``, with the THEME columns besides (unless not ``themes``); a
    theme a person set meanwhile is kept."""
    updates = [_by_id(Message, SENTIMENT, rows)]
    if themes:
        not_by_hand = or_(Message.theme_source.is_(None), Message.theme_source != "staff")
        updates.append(_by_id(Message, THEME, rows, not_by_hand))
    _commit(updates, MESSAGES, days)


def _by_id(model, columns: tuple[str, ...], rows: Sequence[dict], *conditions):
    # Core, not ORM, so that a list of rows runs as one executemany with the extra conditions.
    table = model.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"), *conditions)
        .values({column: bindparam(column) for column in columns})
    )
    return statement, [{"row_id": r["id"], **{c: r[c] for c in columns}} for r in rows]


def _commit(updates, kind: str, days: set[date]) -> None:
    with transaction():
        for statement, parameters in updates:
            db.session.execute(statement, parameters)
        mark_dirty(kind, *days)
