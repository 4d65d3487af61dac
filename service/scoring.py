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
        text = score_text(
            f"{title}。{content}",
            self.sentiment_model,
            negative_below=self.negative_below,
            positive_above=self.positive_above,
        )
        theme = self.classifier.classify(title, content)
        if theme.code is not None and theme.confidence < self.theme_threshold:
            theme = Placement(None, theme.confidence, theme.model)
        return text, theme


def current() -> Scorer:
    config = current_app.config
    return Scorer(
        sentiment_service.active_model(),
        themes.classifier(),
        config["SENTIMENT_NEGATIVE_BELOW"],
        config["SENTIMENT_POSITIVE_ABOVE"],
        config["THEME_MIN_CONFIDENCE"],
    )
