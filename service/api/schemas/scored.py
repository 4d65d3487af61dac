"""What scoring gives a text, as answered: its sentiment and its theme."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.utils import get_value


class SentimentOut(Schema):
    score = fields.Float(
        allow_none=True,
        metadata={
            "description": "Positivity, (1 + P(positive) - P(negative)) / 2, 0–1; null when "
            "the text has no word."
        },
    )
    label = fields.String(
        metadata={
            "description": "positive, neutral, negative or none; pending until a worker "
            "scores it (queue mode)."
        }
    )
    model_version = fields.String()


def sentiment_of(row) -> dict:
    return {
        "score": get_value(row, "sentiment_score"),
        "label": get_value(row, "sentiment_label"),
        "model_version": get_value(row, "sentiment_model"),
    }


class RatingSentimentOut(SentimentOut):
    comment_label = fields.String(
        allow_none=True,
        metadata={
            "description": "The comment's own label (negative, neutral, positive), the model's: "
            "what 评价负面情绪占比 counts; null without a comment or until scored."
        },
    )


def rating_sentiment_of(row) -> dict:
    return {**sentiment_of(row), "comment_label": get_value(row, "comment_label")}


class ReplyQualityOut(Schema):
    """答复质量: README, "Reply quality"."""

    score = fields.Integer(metadata={"description": "0-100"})
    relevance = fields.Float(metadata={"description": "The share of the matter taken up, 0-1."})
    completeness = fields.Float(
        metadata={"description": "Result, action, basis, contact, courtesy, 0-1."}
    )
    interpretability = fields.Float(
        metadata={"description": "Dates, amounts, offices against vague formulas, 0-1."}
    )
    timeliness = fields.Float(
        allow_none=True, metadata={"description": "Working days against the limit, 0-1."}
    )
    boilerplate = fields.Boolean(metadata={"description": "A template, or nothing of the matter."})
    evasion = fields.Boolean(metadata={"description": "推诿: the matter passed on, unhandled."})
    no_result = fields.Boolean(metadata={"description": "No result, decision or answer."})
    off_topic = fields.Boolean(metadata={"description": "答非所问: another matter answered."})
    model = fields.String(metadata={"description": "The model that judged it."})


class ThemeOut(Schema):
    code = fields.String(allow_none=True, metadata={"description": "null: unclassified"})
    name = fields.String(allow_none=True)
    path = fields.List(fields.String(), metadata={"description": "Names, first level first."})
    confidence = fields.Float(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "rules, model or staff"})
    model_version = fields.String(allow_none=True)

def theme_of(row) -> dict:
    from service.scoring.themes import taxonomy  # the stored taxonomy, kept per process

    code = get_value(row, "theme_code")
    # retired themes too: a message keeps the theme it was placed in
    path = taxonomy(with_retired=True, knowing=[code]).path(code) if code else []
    return {
        "code": code,
        "name": path[-1].name if path else None,
        "path": [theme.name for theme in path],
        "confidence": get_value(row, "theme_confidence"),
        "source": get_value(row, "theme_source"),
        "model_version": get_value(row, "theme_model"),
    }
