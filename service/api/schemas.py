"""Request and response schemas; the OpenAPI document is generated from these."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, time, timedelta

from marshmallow import Schema, ValidationError, fields, post_load, validates_schema
from marshmallow.utils import get_value
from marshmallow.validate import Length, OneOf, Range, Regexp

from analytics.kpis import FIRST_DAY, LAST_DAY, OUT_OF_RANGE, PERIODS
from analytics.privacy import mask_text
from analytics.workdays import SHANGHAI
from service.access.auth import ROLES
from service.api.converters import MAX_ID
from service.vocabulary import (
    CHANNELS,
    DIFFICULTIES,
    EVALUATIONS,
    MESSAGE_STATUSES,
    MESSAGE_TYPE_ALIASES,
    MESSAGE_TYPES,
    OFFLINE_SUB_SCORES,
    ONLINE_CHANNELS,
    ONLINE_SUB_SCORES,
    STAR_NAMES,
)

_REGION_CODE = Regexp(r"^\d{6}$", error="A region code is six digits.")
# Mainland mobile (13812345678) or landline with area code (079186123456), once spaces,
# dashes and a +86 before a mobile are taken out.
_PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{9,11}$")


class UtcDateTime(fields.AwareDateTime):
    """Times go out in ISO 8601, in UTC, whatever zone they were computed in (deadlines are
    computed in Asia/Shanghai)."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


# Control characters (Unicode category Cc: C0, DEL and C1), as a regular expression class;
# multiline text keeps its line breaks and tabs.
_CONTROLS = r"\x00-\x1f\x7f-\x9f"
_CONTROLS_BUT_BREAKS_AND_TABS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"


def _text_pattern(*, multiline: bool, blank_allowed: bool) -> str:
    refused = _CONTROLS_BUT_BREAKS_AND_TABS if multiline else _CONTROLS
    if blank_allowed:
        return rf"^[^{refused}]*$"
    return rf"^[^{refused}]*[^\s{refused}][^{refused}]*$"


class Text(fields.String):
    """Input text as it is kept: NFC-normalised, trimmed, not blank, and free of control
    characters (line breaks and tabs are allowed in ``multiline`` text). ``blank_is_none``:
    an empty optional comment means no comment."""

    def __init__(self, *, multiline: bool = False, blank_is_none: bool = False, **kwargs):
        # The same rule as a pattern in the OpenAPI document, so that clients, and the
        # fuzzing's generated cases, know what is taken (C0 and C1 controls are category Cc).
        pattern = _text_pattern(multiline=multiline, blank_allowed=blank_is_none)
        kwargs["metadata"] = {"pattern": pattern, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)
        self.allowed_controls = "\n\r\t" if multiline else ""
        self.blank_is_none = blank_is_none

    def _deserialize(self, value, attr, data, **kwargs):
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))
        text = text.strip()
        if not text:
            if self.blank_is_none:
                return None
            raise ValidationError("Must not be blank.")
        if any(unicodedata.category(c) == "Cc" and c not in self.allowed_controls for c in text):
            raise ValidationError("Must not contain control characters.")
        return text

    def _validate(self, value):
        if value is not None:  # a blank that became "no comment" has no length to check
            super()._validate(value)


class PhoneNumber(Text):
    """A contact number, kept in one form (13812345678, 079186123456) however it was typed
    (+86 138 1234 5678, 0791-86123456), so that one citizen's number is one number when
    repeats are linked and citizens counted. The document's pattern gives the kept forms, with
    an optional +86 or 0086 (spaces and dashes between the digits are taken too)."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {
            **kwargs.get("metadata", {}),
            "pattern": r"^(?:(?:\+86|0086)?1[3-9]\d{9}|0\d{9,11})$",
        }
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = re.sub(r"[\s-]", "", super()._deserialize(value, attr, data, **kwargs))
        number = re.sub(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)", "", number)
        if not _PHONE.match(number):
            raise ValidationError("Not a mainland mobile or landline number.")
        return number


class Day(fields.Date):
    """A calendar day a report can be about (analytics.kpis.reportable), so that the periods
    around it stay within the calendar."""

    def __init__(self, **kwargs) -> None:
        super().__init__(validate=Range(FIRST_DAY, LAST_DAY, error=OUT_OF_RANGE), **kwargs)


class Moment(fields.AwareDateTime):
    """A time a caller gives (``now``, ``since``, ``expires_at``): on a day a report can be
    about, in Asia/Shanghai, as ``Day``; a much later or earlier one overflows the calendar in
    the periods, time limits and time zones computed from it."""

    def __init__(self, **kwargs) -> None:
        first = datetime.combine(FIRST_DAY, time.min, SHANGHAI)
        last = datetime.combine(LAST_DAY, time.max, SHANGHAI)
        error = f"A time from {FIRST_DAY.year} to {LAST_DAY.year} (Asia/Shanghai)."
        super().__init__(validate=Range(first, last, error=error), **kwargs)


class Flag(fields.Boolean):
    """A JSON true or false, nothing else: "yes", "on" and 0 are refused, since some of these
    flags decide things that cannot be undone (an upheld appeal)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 1 == True in Python: test the type, not the value
            raise ValidationError("Must be true or false.")
        return value


class Stars(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=Range(1, 5), **kwargs)


class MessageType(fields.String):
    """Takes 投诉 or complaint (any case, and a few synonyms); stores the English code.

    The OneOf puts the six codes in the OpenAPI document as an enum (a code always passes it),
    so that a client, and the generated cases of the fuzzing, know what to send: with a free
    string there, no generated case ever created a message."""

    def __init__(self, **kwargs):
        super().__init__(validate=OneOf(tuple(MESSAGE_TYPES)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        code = MESSAGE_TYPE_ALIASES.get(text)
        if code is None:
            choices = ", ".join(f"{c} ({n})" for c, n in MESSAGE_TYPES.items())
            raise ValidationError(f"Must be one of: {choices}.")
        return code


class Computed(fields.Nested):
    """A nested object computed from the whole row (``compute(row)``), documented in the
    OpenAPI document by its schema, which a plain ``fields.Function`` would leave blank."""

    def __init__(self, compute, nested, **kwargs) -> None:
        super().__init__(nested, dump_only=True, **kwargs)
        self.compute = compute

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.compute(obj)


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


def _sentiment(row) -> dict:
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


def _rating_sentiment(row) -> dict:
    return {**_sentiment(row), "comment_label": get_value(row, "comment_label")}


class ThemeOut(Schema):
    code = fields.String(allow_none=True, metadata={"description": "null: unclassified"})
    name = fields.String(allow_none=True)
    path = fields.List(fields.String(), metadata={"description": "Names, first level first."})
    confidence = fields.Float(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "rules, model or staff"})
    model_version = fields.String(allow_none=True)


class ThemeCorrectionIn(Schema):
    theme_code = Text(
        required=True, validate=Length(1, 60), metadata={"description": "An active theme."}
    )
    note = Text(validate=Length(1, 500), metadata={"description": "Why, for the audit trail."})


_THEME_CODE = Regexp(r"^[a-z0-9][a-z0-9_.-]*$", error="Lower-case letters, digits, '.', '_', '-'.")


class ThemeIn(Schema):
    code = Text(required=True, validate=[Length(1, 60), _THEME_CODE])
    name = Text(required=True, validate=Length(1, 100))
    parent_code = Text(validate=Length(1, 60), metadata={"description": "None: a first level."})
    keywords = fields.List(
        Text(validate=Length(1, 30)),
        load_default=list,
        validate=Length(max=200),
        metadata={"description": "For the rules."},
    )
    livelihood = Text(validate=Length(1, 20))


class ThemeChangeIn(Schema):
    name = Text(validate=Length(1, 100))
    keywords = fields.List(Text(validate=Length(1, 30)), validate=Length(max=200))
    active = fields.Boolean(metadata={"description": "false: no longer placed into."})


class ThemeNodeOut(Schema):
    code = fields.String()
    name = fields.String()
    parent_code = fields.String(allow_none=True)
    keywords = fields.Function(
        lambda t: json.loads(t.keywords), metadata={"description": "For the rules."}
    )
    livelihood = fields.String(
        allow_none=True, metadata={"description": "The policy's 民生 theme, if one."}
    )
    active = fields.Boolean()


def _theme(row) -> dict:
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
        validate=_REGION_CODE, metadata={"description": "Defaults to the department's region."}
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
        _rating_sentiment,
        RatingSentimentOut,
        metadata={"description": "The comment's score and label; the rating's label follows the "
                  "stars (1-2 negative, 4-5 positive, 3 the comment's)."},
    )
    created_at = UtcDateTime()


class MessageIn(Schema):
    type = MessageType(
        required=True,
        metadata={
            "description": "咨询 求助 投诉 举报 建议 表扬, or consultation help complaint "
            "report suggestion praise"
        },
    )
    title = Text(required=True, validate=Length(1, 200))
    content = Text(required=True, multiline=True, validate=Length(1, 5000))
    region_code = fields.String(
        validate=_REGION_CODE, metadata={"description": "Found in the text when absent."}
    )
    department_code = Text(validate=Length(1, 32))
    citizen_ref = Text(
        validate=Length(1, 64), metadata={"description": "The app's pseudonymous user id."}
    )
    contact_phone = PhoneNumber(validate=Length(max=20))
    anonymous = Flag(load_default=False)
    confidential = Flag(load_default=False)


class MessageCreated(Schema):
    """A stored message: the row the intake wrote."""

    id = fields.Integer()
    tracking_code = fields.String()
    type = fields.String()
    type_name = fields.Function(lambda m: MESSAGE_TYPES[m["type"]])
    status = fields.String()
    region_code = fields.String(allow_none=True)
    region_source = fields.String(
        metadata={"description": "given, extracted (from the text), department or unknown"}
    )
    department_code = fields.String(allow_none=True)
    first_contact_due_at = UtcDateTime(metadata={"description": "First contact by then."})
    due_at = UtcDateTime(metadata={"description": "Closed by then, if ordinary."})
    sentiment = Computed(_sentiment, SentimentOut)
    theme = Computed(_theme, ThemeOut, metadata={"description": "问题分类"})
    created_at = UtcDateTime()


class MessageStatus(Schema):
    """What the citizen sees through the app: no contact data, no text."""

    tracking_code = fields.String()
    type = fields.String()
    type_name = fields.Function(lambda m: MESSAGE_TYPES[m.type])
    title = fields.Function(lambda m: mask_text(m.title), metadata={"description": "Masked."})
    status = fields.String()
    status_name = fields.Function(lambda m: MESSAGE_STATUSES[m.status])
    region_code = fields.String(allow_none=True)
    department_code = fields.Function(lambda m: m.department.code if m.department else None)
    due_at = UtcDateTime(allow_none=True)
    reply = fields.Function(
        lambda m: mask_text(m.reply), metadata={"description": "The department's answer, masked."}
    )
    replied_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    evaluation = fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class RegionBrief(Schema):
    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    level = fields.String(metadata={"description": "province, city or county"})


class RegionNode(RegionBrief):
    children = fields.List(fields.Nested(lambda: RegionNode()))


class RegionDetail(RegionBrief):
    parent_code = fields.String(allow_none=True)
    parents = fields.List(
        fields.Nested(RegionBrief), metadata={"description": "From the province down."}
    )
    children = fields.List(fields.Nested(RegionBrief))


class DepartmentOut(Schema):
    code = fields.String()
    name = fields.String()
    region_code = fields.String()


class ServiceItemOut(Schema):
    code = fields.String()
    name = fields.String()
    department_code = fields.Function(lambda s: s.department.code)
    region_code = fields.Function(lambda s: s.department.region_code)


class DepartmentQuery(Schema):
    region_code = fields.String(validate=_REGION_CODE)


class ServiceItemQuery(Schema):
    department_code = fields.String()
    region_code = fields.String(validate=_REGION_CODE)


class MessageView(Schema):
    """A message as staff see it: masked for all but the handling department (``masked``)."""

    id = fields.Integer()
    tracking_code = fields.String()
    type = fields.String()
    type_name = fields.Function(lambda m: MESSAGE_TYPES[m["type"]])
    status = fields.String()
    status_name = fields.Function(lambda m: MESSAGE_STATUSES[m["status"]])
    title = fields.String(allow_none=True, metadata={"description": "null when confidential."})
    content = fields.String(allow_none=True, metadata={"description": "null when confidential."})
    masked = fields.Boolean(metadata={"description": "Personal information masked."})
    confidential = Flag()
    anonymous = Flag()
    citizen_ref = fields.String(allow_none=True, metadata={"description": "Handler only."})
    contact_phone = fields.String(allow_none=True, metadata={"description": "Handler only."})
    region_code = fields.String(allow_none=True)
    region_source = fields.String()
    department_code = fields.String(allow_none=True)
    difficulty = fields.String(allow_none=True, metadata={"description": "ordinary or difficult"})
    first_contact_due_at = UtcDateTime(allow_none=True)
    first_contact_at = UtcDateTime(allow_none=True)
    due_at = UtcDateTime(allow_none=True, metadata={"description": "Close (or answer) by then."})
    reply = fields.String(allow_none=True)
    replied_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    evaluation = fields.String(allow_none=True)
    evaluated_at = UtcDateTime(allow_none=True)
    sentiment = Computed(_sentiment, SentimentOut)
    theme = Computed(_theme, ThemeOut, metadata={"description": "问题分类"})
    repeat_of = fields.Integer(
        allow_none=True,
        metadata={"description": "重复件: the first message of the matter this one repeats."},
    )
    repeats = fields.List(
        fields.Integer(),
        metadata={"description": "One message only: the repeats linked to this one."},
    )
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class DeadlineOut(Schema):
    kind = fields.String(metadata={"description": "first_contact (首次联系) or handling (办理)"})
    due_at = UtcDateTime(metadata={"description": "When it runs out: the end of its last day."})
    last_day = fields.Date(
        metadata={"description": "Its last working day (Asia/Shanghai): the 时限 as read."}
    )


class SupervisedMessageView(MessageView):
    deadline = fields.Nested(
        DeadlineOut,
        metadata={
            "description": "The deadline that lists the message: missed (overdue) or near "
            "(due_soon); the handling limit when both are."
        },
    )


class MessageEventOut(Schema):
    at = UtcDateTime()
    actor = fields.String()
    action = fields.String()
    from_status = fields.String()
    to_status = fields.String()
    department_code = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class NoteIn(Schema):
    note = Text(multiline=True, validate=Length(1, 2000))


class ReturnIn(Schema):
    note = Text(
        required=True, multiline=True, validate=Length(1, 2000), metadata={"description": "Why."}
    )


class DispatchIn(NoteIn):
    department_code = Text(required=True, validate=Length(1, 32))
    difficulty = fields.String(required=True, validate=OneOf(DIFFICULTIES))


class ReplyIn(Schema):
    reply = Text(required=True, multiline=True, validate=Length(1, 5000))


class EvaluationIn(NoteIn):
    evaluation = fields.String(
        required=True,
        validate=OneOf(EVALUATIONS),
        metadata={"description": "satisfied 满意, basically_satisfied 基本满意, unsatisfied"},
    )


class SupervisionQuery(Schema):
    kind = fields.String(
        load_default="overdue",
        validate=OneOf(("overdue", "due_soon")),
        metadata={"description": "overdue (超期), or due_soon: due within the next hours."},
    )
    within_hours = fields.Integer(load_default=24, validate=Range(1, 24 * 30))
    now = Moment(metadata={"description": "For reproducible lists; default now."})


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
    sentiment = Computed(_rating_sentiment, RatingSentimentOut)
    created_at = UtcDateTime()


class MessageQuery(Schema):
    status = fields.String(validate=OneOf(MESSAGE_STATUSES))
    type = MessageType()
    region_code = fields.String(
        validate=_REGION_CODE, metadata={"description": "Narrows the scope."}
    )


class RatingQuery(Schema):
    region_code = fields.String(
        validate=_REGION_CODE, metadata={"description": "Narrows the scope."}
    )
    bad_only = fields.Boolean(
        load_default=False, metadata={"description": "Only 差评 (1–2 stars)."}
    )


class AccountIn(Schema):
    name = Text(required=True, validate=Length(1, 100))
    role = fields.String(required=True, validate=OneOf(ROLES))
    region_code = fields.String(
        validate=_REGION_CODE, metadata={"description": "An official's or analyst's region."}
    )
    department_code = Text(validate=Length(1, 32), metadata={"description": "A handler's."})
    expires_at = Moment(metadata={"description": "Default: never expires."})


class AccountOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    region_code = fields.String(allow_none=True)
    department_code = fields.Function(lambda a: a.department.code if a.department else None)
    created_at = UtcDateTime()
    expires_at = UtcDateTime(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)


class AccountCreated(AccountOut):
    token = fields.String(
        allow_none=True,
        metadata={
            "description": "Shown in this answer only; never stored, so an Idempotency-Key "
            "replay answers null: revoke the account and create another."
        },
    )


class AuditQuery(Schema):
    account_id = fields.Integer(validate=Range(1, MAX_ID))
    action = fields.String(metadata={"description": "e.g. account.create, message.read"})
    object_type = fields.String()
    object_id = fields.String()
    since = Moment()
    until = Moment()


class AuditEventOut(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    account_id = fields.Integer(allow_none=True)
    actor = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    detail = fields.Function(lambda e: json.loads(e.detail) if e.detail else None)
    remote_addr = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)


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


class KpiQuery(Schema):
    region = fields.String(
        validate=_REGION_CODE, metadata={"description": "Default: the caller's region."}
    )
    period = fields.String(load_default="month", validate=OneOf(PERIODS))
    date = Day(
        metadata={"description": "A day of the period; default the day of `now` (Shanghai)."}
    )
    now = Moment(
        metadata={
            "description": "Which time limits have run out; default now. For reproducible "
            "figures (the facts are always the latest)."
        }
    )
    department = Text(validate=Length(1, 32), metadata={"description": "A department's code."})
    service_item = Text(validate=Length(1, 40), metadata={"description": "A service item's code."})
    channel = fields.String(validate=OneOf(CHANNELS))


class ThemeReportQuery(Schema):
    region = fields.String(
        validate=_REGION_CODE, metadata={"description": "Default: the caller's region."}
    )
    period = fields.String(load_default="month", validate=OneOf(PERIODS))
    date = Day(metadata={"description": "A day of the period; default today (Shanghai)."})
    theme = Text(
        validate=Length(1, 60),
        metadata={
            "description": "Drill down: the themes under this one (a theme without sub-themes "
            "is shown alone)."
        },
    )
    format = fields.String(
        load_default="json",
        validate=OneOf(("json", "csv", "xlsx")),
        metadata={"description": "csv: one table (UTF-8 with BOM); xlsx: a workbook with a "
                  "cover sheet and one sheet per view."},
    )  # fmt: skip


class ThemeRowOut(Schema):
    code = fields.String(allow_none=True, metadata={"description": "null: unclassified"})
    name = fields.String()
    messages = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "Of all the region's."})
    previous = fields.Integer(metadata={"description": "The previous period's messages."})
    change = fields.Integer()
    negative_share = fields.Float(allow_none=True)
    keywords = fields.List(
        fields.String(), metadata={"description": "The words that mark it out, best first."}
    )
    sub_themes = fields.Boolean(
        metadata={"description": "Whether it has themes under it to drill down into."}
    )


class RegionThemeOut(Schema):
    code = fields.String(allow_none=True)
    name = fields.String()
    messages = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "Of the child region's."})


class RegionThemesOut(Schema):
    region_code = fields.String()
    name = fields.String()
    messages = fields.Integer()
    themes = fields.List(fields.Nested(RegionThemeOut))


class ThemeReportOut(Schema):
    region_code = fields.String()
    period = fields.Nested(lambda: PeriodOut())
    theme = fields.String(allow_none=True, metadata={"description": "The theme drilled into."})
    messages = fields.Integer()
    previous = fields.Integer()
    themes = fields.List(fields.Nested(ThemeRowOut), metadata={"description": "Most first."})
    by_region = fields.List(fields.Nested(RegionThemesOut))
    hot_issues = fields.List(
        fields.Nested(lambda: HotIssueOut()),
        allow_none=True,
        metadata={
            "description": "The period's hottest (in a drill-down, those most of whose messages "
            "are about the theme); null when too many messages to search."
        },
    )


class SpanQuery(Schema):
    """A region and the days from ``from`` to ``to``: by default the caller's region and the
    30 days up to today (Shanghai); ``LONGEST`` days at most, where it is set (and said in the
    OpenAPI document)."""

    LONGEST: int | None = None

    region = fields.String(
        validate=_REGION_CODE, metadata={"description": "Default: the caller's region."}
    )
    from_ = Day(data_key="from", metadata={"description": "First day; default to − 29 days."})
    to = Day(metadata={"description": "Last day, included; default today (Shanghai)."})

    @post_load
    def _span(self, data: dict, **kwargs) -> dict:
        last = data.get("to") or datetime.now(UTC).astimezone(SHANGHAI).date()
        first = data.get("from_") or last - timedelta(days=29)
        if first > last:
            raise ValidationError("Must not be after 'to'.", "from")
        if self.LONGEST and (last - first).days >= self.LONGEST:
            raise ValidationError(f"At most {self.LONGEST} days before 'to'.", "from")
        return {**data, "from_": first, "to": last}


class HotIssueQuery(SpanQuery):
    LONGEST = 366

    from_ = Day(
        data_key="from",
        metadata={"description": "First day; default to − 29 days; at most 366 days before to."},
    )
    limit = fields.Integer(
        load_default=20, validate=Range(1, 100), metadata={"description": "The hottest first."}
    )


class AlertQuery(SpanQuery):
    kind = fields.String(
        validate=OneOf(("theme", "hot_issue")), metadata={"description": "Default: both."}
    )


class AlertOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "theme or hot_issue"})
    region_code = fields.String()
    subject = fields.String(metadata={"description": "A theme code, or a hot issue's first id."})
    subject_name = fields.String()
    day = fields.Date()
    count = fields.Integer(metadata={"description": "Its messages that day."})
    baseline_mean = fields.Float(metadata={"description": "Mean daily messages before."})
    threshold = fields.Float(metadata={"description": "What the day had to reach."})
    message_ids = fields.Function(
        lambda a: json.loads(a.message_ids) if a.message_ids else None,
        metadata={"description": "A hot issue's messages that day."},
    )
    created_at = UtcDateTime()


class HotIssueOut(Schema):
    rank = fields.Integer()
    description = fields.String(metadata={"description": "Its most typical title, masked."})
    place = fields.String(
        allow_none=True, metadata={"description": "The place its messages name; else the region."}
    )
    region_code = fields.String(allow_none=True)
    region_name = fields.String(allow_none=True)
    first_at = UtcDateTime()
    last_at = UtcDateTime()
    messages = fields.Integer()
    citizens = fields.Integer(metadata={"description": "Distinct citizens."})
    likes = fields.Integer(metadata={"description": "Supporters (点赞数) where the data has them."})
    previous = fields.Integer(metadata={"description": "Its messages in the span before."})
    growth = fields.Float(metadata={"description": "(messages − previous) / max(previous, 1), 0–1"})
    negative_share = fields.Float()
    index = fields.Float(metadata={"description": "The hot index (README)."})
    message_ids = fields.List(fields.Integer())


class FigureOut(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "null without a sample"})
    numerator = fields.Integer()
    denominator = fields.Integer()
    interval = fields.List(fields.Float(), allow_none=True, metadata={"description": "95% Wilson"})
    previous = fields.Float(allow_none=True, metadata={"description": "The previous period's."})
    change = fields.Float(allow_none=True)


class CountOut(Schema):
    value = fields.Integer()
    previous = fields.Integer(allow_none=True)
    change = fields.Integer(allow_none=True)


class AverageOut(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "null without a closing"})
    working_days = fields.Integer(metadata={"description": "Summed over the closings."})
    closed = fields.Integer()
    previous = fields.Float(allow_none=True)
    change = fields.Float(allow_none=True)


class FiguresOut(Schema):
    ratings = fields.Integer(metadata={"description": "Valid ratings counted."})
    satisfaction_rate = fields.Nested(FigureOut, metadata={"description": "满意率: 3-5 stars"})
    strict_satisfaction_rate = fields.Nested(FigureOut, metadata={"description": "4-5 stars"})
    bad_rating_rate = fields.Nested(FigureOut, metadata={"description": "差评率: 1-2 stars"})
    rectification_rate = fields.Nested(FigureOut, metadata={"description": "差评整改率"})
    on_time_rectification_rate = fields.Nested(FigureOut)
    follow_up_rate = fields.Nested(FigureOut, metadata={"description": "回访率"})
    negative_sentiment_share = fields.Nested(
        FigureOut, metadata={"description": "评价负面情绪占比: of rating comments"}
    )
    messages = fields.Integer(
        metadata={
            "description": "Messages accepted. This and the message figures below are "
            "absent when a service item or channel is chosen."
        }
    )
    on_time_closing_rate = fields.Nested(FigureOut, metadata={"description": "按时办结率"})
    overdue = fields.Nested(CountOut, metadata={"description": "超期: limits run out unmet"})
    average_handling_days = fields.Nested(
        AverageOut, metadata={"description": "平均办理时长 in working days"}
    )
    reply_satisfaction_rate = fields.Nested(FigureOut, metadata={"description": "回访满意率"})
    message_negative_sentiment_share = fields.Nested(
        FigureOut, metadata={"description": "留言负面情绪占比: of messages"}
    )


class PeriodOut(Schema):
    kind = fields.String()
    first_day = fields.Date()
    last_day = fields.Date()


class RegionFiguresOut(Schema):
    region_code = fields.String()
    name = fields.String()
    figures = fields.Nested(FiguresOut)


class DepartmentFiguresOut(Schema):
    department_code = fields.String()
    department_name = fields.String()
    figures = fields.Nested(FiguresOut)


class KpiReportOut(Schema):
    region_code = fields.String()
    period = fields.Nested(PeriodOut)
    figures = fields.Nested(FiguresOut)
    open_overdue = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Messages past their handling limit at `now`, not meeting it yet "
            "(repeats left out)."
        },
    )
    open_first_contact_overdue = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Messages past only their first-contact limit at `now`, not "
            "contacted yet. With `open_overdue`: the 督办 overdue list's total."
        },
    )
    by_region = fields.List(
        fields.Nested(RegionFiguresOut), metadata={"description": "Child regions, best first."}
    )
    by_department = fields.List(fields.Nested(DepartmentFiguresOut))
