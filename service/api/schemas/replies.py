"""The replies report's query and answer (GET /api/v1/reports/replies)."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import OneOf

from analytics.kpis import PERIODS
from service.api.schemas.fields import REGION_CODE, Day, Moment
from service.api.schemas.messages import MessageView
from service.api.schemas.reports import CountOut, FigureOut, PeriodOut, ReplyMeanOut


class ReplyReportQuery(Schema):
    region = fields.String(
        validate=REGION_CODE, metadata={"description": "Default: the caller's region."}
    )
    period = fields.String(load_default="month", validate=OneOf(PERIODS))
    date = Day(metadata={"description": "A day of the period; default today (Shanghai)."})
    now = Moment(metadata={"description": "Default now: which time limits have run out."})
    format = fields.String(
        load_default="json", validate=OneOf(("json", "csv", "xlsx")),
        metadata={"description": "csv: the departments' table (UTF-8 with BOM); xlsx: a "
                  "workbook with a cover, the departments and the worst replies."},
    )  # fmt: skip


class ReplyFiguresOut(Schema):
    reply_quality_mean = fields.Nested(ReplyMeanOut, metadata={"description": "答复质量均分"})
    reply_poor_share = fields.Nested(FigureOut, metadata={"description": "Scoring under 40"})
    reply_boilerplate_share = fields.Nested(FigureOut, metadata={"description": "套话"})
    reply_on_time_rate = fields.Nested(FigureOut, metadata={"description": "Within the limit"})
    reply_evasions = fields.Nested(CountOut, metadata={"description": "推诿"})


class DepartmentRepliesOut(Schema):
    department_code = fields.String()
    department_name = fields.String()
    figures = fields.Nested(ReplyFiguresOut)


class ReplyReportOut(Schema):
    region_code = fields.String()
    period = fields.Nested(PeriodOut)
    figures = fields.Nested(ReplyFiguresOut)
    by_department = fields.List(
        fields.Nested(DepartmentRepliesOut),
        metadata={"description": "Departments with replies in the period, lowest mean first."},
    )
    worst = fields.List(
        fields.Nested(MessageView),
        metadata={"description": "The period's lowest-scoring replies (20), as the reader may "
                  "see them: masked but for the handling department."},
    )  # fmt: skip
