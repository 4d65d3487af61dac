"""Messages (诉求): what an app posts, what is answered, and their handling's steps and
lists."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from analytics.privacy import mask_text
from service.api.schemas.fields import (
    REGION_CODE,
    Computed,
    Flag,
    MessageType,
    Moment,
    PhoneNumber,
    Text,
    UtcDateTime,
)
from service.api.schemas.scored import (
    ReplyQualityOut,
    SentimentOut,
    ThemeOut,
    sentiment_of,
    theme_of,
)
from service.vocabulary import (
    DIFFICULTIES,
    EVALUATIONS,
    MESSAGE_STATUSES,
    MESSAGE_TYPES,
)


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
        validate=REGION_CODE, metadata={"description": "Found in the text when absent."}
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
    sentiment = Computed(sentiment_of, SentimentOut)
    theme = Computed(theme_of, ThemeOut, metadata={"description": "问题分类"})
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
    reply_quality = fields.Nested(
        ReplyQualityOut, allow_none=True,
        metadata={"description": "答复质量; null until the reply is judged (queue mode: by a "
                  "worker)."},
    )  # fmt: skip
    replied_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    evaluation = fields.String(allow_none=True)
    evaluated_at = UtcDateTime(allow_none=True)
    sentiment = Computed(sentiment_of, SentimentOut)
    theme = Computed(theme_of, ThemeOut, metadata={"description": "问题分类"})
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

class MessageQuery(Schema):
    status = fields.String(validate=OneOf(MESSAGE_STATUSES))
    type = MessageType()
    region_code = fields.String(
        validate=REGION_CODE, metadata={"description": "Narrows the scope."}
    )
