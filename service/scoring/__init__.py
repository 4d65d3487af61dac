"""Scoring: the sentiment and theme of every text. This module gives the models in use and
their settings (``current``) as one plain object (``analytics.scoring.Scorer``), so that a
message is scored the same way in a request, a command or a process of the import's scoring
pool. Beside it: the models in use and their files (sentiment, themes, model_files), queue
mode's jobs and sweeper (queue), and rescoring what an older model scored (rescoring).

The package imports the store, the access layer (a theme corrected by staff is audited) and
the platform; never reporting, the API, the dashboard or the commands.

RQ names a job by its function's path (``service.scoring.queue.score_rows``): a job queued
by a release from before this package existed fails on import, and its rows are scored again
by the sweeper."""

from __future__ import annotations

from typing import Any

from flask import current_app

from analytics.scoring import Scorer
from analytics.sentiment import UNSCORED, Sentiment, rating_label
from analytics.themes import Placement
from service.scoring import sentiment as sentiment_service
from service.scoring import themes


def message_columns(text: Sentiment, theme: Placement) -> dict[str, Any]:
    """A message's scoring columns, as intake, the workers and rescoring write them."""
    return {
        "sentiment_score": text.score,
        "sentiment_label": text.label,
        "sentiment_model": text.model_version,
        "theme_code": theme.code,
        "theme_confidence": theme.confidence,
        "theme_source": themes.source_of(theme),
        "theme_model": theme.model,
    }


def rating_columns(stars: int, text: Sentiment) -> dict[str, Any]:
    """A rating's scoring columns, as intake, the workers and rescoring write them: its label
    follows the stars (``rating_label``), its comment's is the model's."""
    return {
        "sentiment_score": text.score,
        "sentiment_label": rating_label(stars, text.label),
        "sentiment_model": text.model_version,
        "comment_label": None if text.label == UNSCORED else text.label,
    }


def current() -> Scorer:
    config = current_app.config
    return Scorer(
        sentiment_service.active_model(),
        themes.classifier(),
        config["SENTIMENT_NEGATIVE_BELOW"],
        config["SENTIMENT_POSITIVE_ABOVE"],
        config["THEME_MIN_CONFIDENCE"],
    )
