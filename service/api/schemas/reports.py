"""The figures, the theme report, hot issues and alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from marshmallow import Schema, ValidationError, fields, post_load
from marshmallow.validate import Length, OneOf, Range

from analytics.kpis import PERIODS
from analytics.workdays import SHANGHAI
from service.api.schemas.fields import REGION_CODE, Day, Moment, Text, UtcDateTime
from service.vocabulary import (
    CHANNELS,
)


class KpiQuery(Schema):
    region = fields.String(
        validate=REGION_CODE, metadata={"description": "Default: the caller's region."}
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
        validate=REGION_CODE, metadata={"description": "Default: the caller's region."}
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
        validate=REGION_CODE, metadata={"description": "Default: the caller's region."}
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


class ReplyMeanOut(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "null without a reply"})
    replies = fields.Integer(metadata={"description": "Replies judged, on their day."})
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
    reply_quality_mean = fields.Nested(
        ReplyMeanOut, metadata={"description": "答复质量均分: the replies' mean score, 0-100"}
    )
    reply_poor_share = fields.Nested(
        FigureOut, metadata={"description": "Replies scoring under 40, of those judged"}
    )
    reply_boilerplate_share = fields.Nested(
        FigureOut, metadata={"description": "Replies flagged boilerplate (套话), of those judged"}
    )
    reply_on_time_rate = fields.Nested(
        FigureOut, metadata={"description": "Replies within their time limit, of those judged"}
    )
    reply_evasions = fields.Nested(CountOut, metadata={"description": "Replies flagged 推诿"})


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
