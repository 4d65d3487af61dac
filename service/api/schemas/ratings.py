"""好差评 ratings: what an app posts, and what is answered and listed."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf

from service.api.schemas.fields import REGION_CODE, Computed, Flag, Stars, Text, UtcDateTime
from service.api.schemas.scored import RatingSentimentOut, rating_sentiment_of
from service.vocabulary import (
    CHANNELS,
    OFFLINE_SUB_SCORES,
    ONLINE_CHANNELS,
    ONLINE_SUB_SCORES,
    STAR_NAMES,
)


class SubScores(Schema):
    """Optional 1–5 scores of the sub-indicators; online channels take the online ones."""

    overall = Stars(metadata={"description": "整体满意度"})
    efficiency = Stars(metadata={"description": "办事效率 (online)"})
    guide_accuracy = Stars(metadata={"description": "办事指南精确度 (online)"})
    convenience = Stars(metadata={"description": "办事便捷度 (online)"})
    operability = Stars(metadata={"description": "平台操作性 (online)"})
    service_efficiency = Stars(metadata={"description": "服务效率 (offline)"})
    service_level = Stars(metadata={"description": "服务水平 (offline)"})
    attitude = Stars(metadata={"description": "服务态度 (offline)"})


class RatingIn(Schema):
    stars = Stars(required=True, metadata={"description": "5 非常满意 … 1 非常不满意"})
    comment = Text(
        multiline=True,
        blank_is_none=True,
        validate=Length(max=2000),
        metadata={"description": "Optional; an empty comment is no comment."},
    )
    transaction_id = Text(
        required=True, validate=Length(1, 64), metadata={"description": "办件编号"}
    )
    service_item_code = Text(required=True, validate=Length(1, 40))
    department_code = Text(
        validate=Length(1, 32), metadata={"description": "Checked against the service item's."}
    )
    region_code = fields.String(
        validate=REGION_CODE, metadata={"description": "Defaults to the department's region."}
    )
    channel = fields.String(load_default="app", validate=OneOf(CHANNELS))
    scores = fields.Nested(SubScores)
    real_name = Flag(
        load_default=False, metadata={"description": "实名: its 差评 must be followed up."}
    )
    citizen_ref = Text(
        validate=Length(1, 64), metadata={"description": "The app's pseudonymous user id."}
    )
    device_id = Text(validate=Length(1, 64), metadata={"description": "For finding bursts."})

    @validates_schema
    def sub_scores_fit_the_channel(self, data, **kwargs):
        online = data.get("channel", "app") in ONLINE_CHANNELS
        allowed = ONLINE_SUB_SCORES if online else OFFLINE_SUB_SCORES
        wrong = {
            name: [f"Not a sub-indicator of {'online' if online else 'offline'} channels."]
            for name in data.get("scores") or {}
            if name not in allowed
        }
        if wrong:
            raise ValidationError({"scores": wrong})


class RatingOut(Schema):
    """A stored rating: the row the intake wrote, with the codes it refers to."""

    id = fields.Integer()
    stars = fields.Integer()
    level = fields.Function(
        lambda r: STAR_NAMES[r["stars"]], metadata={"description": "非常满意 … 非常不满意"}
    )
    is_bad = fields.Function(lambda r: r["stars"] <= 2, metadata={"description": "差评: 1–2 stars"})
    comment = fields.String(allow_none=True)
    transaction_id = fields.String()
    channel = fields.String()
    service_item_code = fields.String()
    department_code = fields.String()
    region_code = fields.String()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    real_name = Flag()
    rectification_id = fields.Integer(
        allow_none=True, metadata={"description": "The 差评's rectification case; null otherwise."}
    )
    sentiment = Computed(
        rating_sentiment_of,
        RatingSentimentOut,
        metadata={"description": "The comment's score and label; the rating's label follows the "
                  "stars (1-2 negative, 4-5 positive, 3 the comment's)."},
    )
    created_at = UtcDateTime()

class RatingView(Schema):
    """A rating as staff see it: the comment masked for every role, the rated department's
    included (protection of 差评 from retaliation)."""

    id = fields.Integer()
    stars = fields.Integer()
    level = fields.Function(lambda r: STAR_NAMES[r["stars"]])
    is_bad = fields.Function(lambda r: r["stars"] <= 2)
    comment = fields.String(allow_none=True)
    masked = fields.Boolean()
    valid = fields.Boolean(metadata={"description": "False once an appeal is upheld."})
    real_name = Flag()
    transaction_id = fields.String()
    channel = fields.String()
    service_item_code = fields.String()
    department_code = fields.String()
    region_code = fields.String()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    sentiment = Computed(rating_sentiment_of, RatingSentimentOut)
    created_at = UtcDateTime()

class RatingQuery(Schema):
    region_code = fields.String(
        validate=REGION_CODE, metadata={"description": "Narrows the scope."}
    )
    bad_only = fields.Boolean(
        load_default=False, metadata={"description": "Only 差评 (1–2 stars)."}
    )
