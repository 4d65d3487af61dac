"""Re-scoring stored texts after a new model is activated (``flask --app wsgi rescore``): the
sentiment of ratings and messages and the themes of messages, a batch at a time. Rows whose
stored version already is the active one are skipped, so a run can stop anywhere and the
next one carries on; a theme a person set is never replaced."""

from __future__ import annotations

from collections.abc import Callable

from service import scoring, store
from service.scoring import sentiment as sentiment_service
from service.scoring import themes
from service.store.facts import day_of


def rescore_ratings(batch_size: int, progress: Callable[[int], None]) -> int:
    """Re-score every rating comment scored by another model; returns how many."""
    version = sentiment_service.active_model().version
    done, after = 0, 0
    while rows := store.rescoring.fetch_stale_ratings(version, after, batch_size):
        scored = []
        for row in rows:
            text = sentiment_service.score(row.comment)
            scored.append({"id": row.id, **scoring.rating_columns(row.stars, text)})
        store.rescoring.save_rating_scores(scored, {day_of(row.created_at) for row in rows})
        after, done = rows[-1].id, done + len(rows)
        progress(len(rows))
    return done


def rescore_messages(
    batch_size: int, progress: Callable[[int], None], *, themes: bool = True
) -> int:
    """Re-score and re-place every message scored or placed by another model (a theme a
    person set stays; with ``themes`` false, only the sentiment is looked at); returns how
    many."""
    scorer = scoring.current()
    sentiment_version = scorer.sentiment_model.version
    theme_version = scorer.classifier.version if themes else None
    done, after = 0, 0
    while rows := store.rescoring.fetch_stale_messages(
        sentiment_version, theme_version, after, batch_size
    ):
        scored = []
        for row in rows:
            text, theme = scorer.score(row.title, row.content)
            scored.append({"id": row.id, **scoring.message_columns(text, theme)})
        days = {day_of(row.created_at) for row in rows}
        store.rescoring.save_message_scores(scored, days, themes=themes)
        after, done = rows[-1].id, done + len(rows)
        progress(len(rows))
    return done


def count_stale(*, with_themes: bool = True) -> tuple[int, int]:
    """(ratings, messages) a rescore would touch now."""
    sentiment_version = sentiment_service.active_model().version
    theme_version = themes.classifier().version if with_themes else None
    return (
        store.rescoring.count_stale_ratings(sentiment_version),
        store.rescoring.count_stale_messages(sentiment_version, theme_version),
    )
