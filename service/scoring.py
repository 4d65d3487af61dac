"""The models in use and their settings as one plain object, so that a message can be scored
the same way in the request, in a command, or in a worker process forked from either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from analytics.sentiment import Sentiment, score_text
from analytics.themes import Placement
from service import sentiment as sentiment_service
from service import themes


@dataclass(frozen=True)
class Scorer:
    sentiment_model: Any
    classifier: Any
    negative_below: float
    positive_above: float
    theme_threshold: float

    def score(self, title: str, content: str) -> tuple[Sentiment, Placement]:
        """The message's sentiment and theme (none below the theme threshold)."""
        return self.score_many([(title, content)])[0]

    def score_many(self, messages: list[tuple[str, str]]) -> list[tuple[Sentiment, Placement]]:
        """Each message's sentiment and theme; the themes placed in one call."""
        texts = [
            score_text(
                f"{title}。{content}",
                self.sentiment_model,
                negative_below=self.negative_below,
                positive_above=self.positive_above,
            )
            for title, content in messages
        ]
        themes = [self._confident(t) for t in self.classifier.classify_many(messages)]
        return list(zip(texts, themes, strict=True))

    def _confident(self, theme: Placement) -> Placement:
        if theme.code is not None and theme.confidence < self.theme_threshold:
            return Placement(None, theme.confidence, theme.model)
        return theme


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


def current() -> Scorer:
    config = current_app.config
    return Scorer(
        sentiment_service.active_model(),
        themes.classifier(),
        config["SENTIMENT_NEGATIVE_BELOW"],
        config["SENTIMENT_POSITIVE_ABOVE"],
        config["THEME_MIN_CONFIDENCE"],
    )
