"""Scoring texts with the sentiment model in use: the one ``flask sentiment train`` made
active under MODEL_DIR, else the shipped one; loaded once per process per version."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from analytics import sentiment
from service.scoring import model_files

KIND = "sentiment"


def activate(model) -> Path:
    """Store a trained ``model`` and make it the one every process scores with."""
    return model_files.activate(
        KIND, model.version, model.save
    )


def active_model():
    version = model_files.active_version(KIND)
    if version is None:
        return sentiment.load_model()
    from analytics.sentiment import training  # its engines load numpy: not at import

    folder = model_files.folder(KIND) / version
    return model_files.cached_model(KIND, version, lambda: training.load(folder))


def score(text: str | None) -> sentiment.Sentiment:
    """Score a text with the model in use (and, for a model of two classes, the configured
    neutral band)."""
    config = current_app.config
    return sentiment.score_text(
        text,
        active_model(),
        negative_below=config["SENTIMENT_NEGATIVE_BELOW"],
        positive_above=config["SENTIMENT_POSITIVE_ABOVE"],
    )
