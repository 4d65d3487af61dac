"""After a 差评: its rectification case, a department's appeal, and integrity flags."""

from __future__ import annotations

import json

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from analytics.privacy import mask_text
from service.api.converters import MAX_ID
from service.api.schemas.fields import Flag, Moment, Stars, Text, UtcDateTime
from service.vocabulary import (
    CHANNELS,
)


class RectificationView(Schema):
    """A 差评's rectification case; notes masked except for the rated department's handler."""

    id = fields.Integer()
    rating_id = fields.Integer()
    stars = fields.Integer()
    comment = fields.String(allow_none=True, metadata={"description": "Masked for every role."})
    real_name = Flag(metadata={"description": "实名: must be followed up."})
    status = fields.String(
        metadata={"description": "open, verified, rectified, reported; void after an upheld appeal"}
    )
    department_code = fields.String()
    region_code = fields.String()
    opened_at = UtcDateTime()
    due_at = UtcDateTime()
    overdue = fields.Boolean()
    verified_at = UtcDateTime(allow_none=True)
    verification_note = fields.String(allow_none=True)
    rectified_at = UtcDateTime(allow_none=True)
    rectification_note = fields.String(allow_none=True)
    reported_at = UtcDateTime(allow_none=True)
    report_note = fields.String(allow_none=True)
    citizen_stars = fields.Integer(allow_none=True)
    citizen_rated_at = UtcDateTime(allow_none=True)


class RectificationQuery(Schema):
    status = fields.String(validate=OneOf(("open", "verified", "rectified", "reported", "void")))
    overdue = fields.Boolean(load_default=False, metadata={"description": "Unreported, past due."})
    now = Moment(metadata={"description": "For reproducible lists; default now."})


class RequiredNoteIn(Schema):
    note = Text(required=True, multiline=True, validate=Length(1, 2000))


class CitizenRectificationRatingIn(Schema):
    transaction_id = Text(
        required=True, validate=Length(1, 64), metadata={"description": "办件编号"}
    )
    channel = fields.String(load_default="app", validate=OneOf(CHANNELS))
    stars = Stars(required=True, metadata={"description": "How the rectification was, 1–5."})


class CitizenRectificationOut(Schema):
    status = fields.String()
    reported_at = UtcDateTime(allow_none=True)
    report_note = fields.String(allow_none=True, metadata={"description": "What was done."})
    citizen_stars = fields.Integer(allow_none=True)


class AppealIn(Schema):
    rating_id = fields.Integer(required=True, strict=True, validate=Range(1, MAX_ID))
    reason = fields.String(
        required=True,
        validate=OneOf(("misrated", "malicious")),
        metadata={"description": "misrated 误评 or malicious 恶意差评"},
    )
    note = Text(required=True, multiline=True, validate=Length(1, 2000))


class AppealDecisionIn(Schema):
    upheld = Flag(required=True)
    note = Text(required=True, multiline=True, validate=Length(1, 2000))


class AppealView(Schema):
    id = fields.Integer()
    rating_id = fields.Integer()
    reason = fields.String()
    note = fields.String(metadata={"description": "Masked for every role but the handler."})
    status = fields.String(metadata={"description": "pending, upheld or rejected"})
    department_code = fields.String()
    region_code = fields.String()
    filed_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)
    decision_note = fields.String(
        allow_none=True, metadata={"description": "Masked for every role but the handler."}
    )


class AppealQuery(Schema):
    status = fields.String(validate=OneOf(("pending", "upheld", "rejected")))


class FlagView(Schema):
    id = fields.Integer()
    rating_id = fields.Integer()
    kind = fields.String(metadata={"description": "contradiction, device_burst or citizen_burst"})
    detail = fields.Function(lambda f: json.loads(f.detail) if f.detail else None)
    stars = fields.Function(lambda f: f.rating.stars)
    comment = fields.Function(
        lambda f: mask_text(f.rating.comment), metadata={"description": "Masked."}
    )
    region_code = fields.String()
    status = fields.String(metadata={"description": "open, dismissed or confirmed"})
    created_at = UtcDateTime()
    reviewed_at = UtcDateTime(allow_none=True)
    review_note = fields.String(allow_none=True)


class FlagQuery(Schema):
    status = fields.String(validate=OneOf(("open", "dismissed", "confirmed")))
    kind = fields.String(validate=OneOf(("contradiction", "device_burst", "citizen_burst")))


class FlagReviewIn(Schema):
    outcome = fields.String(required=True, validate=OneOf(("dismissed", "confirmed")))
    note = Text(required=True, multiline=True, validate=Length(1, 2000))
