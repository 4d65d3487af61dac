"""The 答复质量 page: how each department of the region answers (the replies report,
service/reporting/reply_report.py), ranked lowest mean first, and the replies behind it: the
region's worst, or with a department, that department's, lowest score first, shown as
service/access/disclosure.py shows a list."""

from __future__ import annotations

from datetime import date, datetime, time

from analytics.replies import files as reply_files
from analytics.workdays import SHANGHAI
from service import store
from service.access import disclosure
from service.dashboard.pages import Page, Table, blank_page, shown_change
from service.reporting.reply_report import reply_report
from service.store.scopes import Scope

#: The cards: (key in the report's figures, name, what it counts).
CARDS = (
    ("reply_quality_mean", "答复质量均分", "得分之和 ÷ 答复数"),
    ("reply_poor_share", "差答复占比", "得分低于40的答复 ÷ 答复数"),
    ("reply_boilerplate_share", "套话占比", "标记套话的答复 ÷ 答复数"),
    ("reply_on_time_rate", "按时答复率", "时限内的答复 ÷ 答复数"),
    ("reply_evasions", "推诿数", "标记推诿的答复"),
)
#: Replies a department's list shows (and its file holds), lowest score first.
DEPARTMENT_SHOWN = 200


def replies(region_code: str, period: str, day: date, scope: Scope, now: datetime,
            department: str | None) -> Page:  # fmt: skip
    report = reply_report(scope, region_code, period, day, now)
    page = blank_page("答复质量", region_code, period, day)
    for key, name, counts in CARDS:
        figure = report["figures"][key]
        page.cards.append({"key": key, "name": name, "counts": counts, **figure,
                           "shift": shown_change(key, figure.get("change"))})  # fmt: skip
    ranking = reply_files.department_rows(report, page.region.name)
    page.tables.append(
        Table("部门排名", reply_files.DEPARTMENT_HEADERS, ranking, percent=(4, 5, 6))
    )
    listed = report["worst"]
    if department is not None:
        listed = _department_replies(scope, region_code, report, department)
    title = f"{department}的答复" if department else "最差答复"
    page.tables.append(Table(title, reply_files.WORST_HEADERS,
                             reply_files.worst_rows({"worst": listed})))  # fmt: skip
    ranked = report["by_department"]
    page.charts["departments"] = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 160, "right": 30, "top": 10, "bottom": 30},
        "xAxis": {"type": "value", "min": 0, "max": 100},
        "yAxis": {"type": "category", "inverse": True,
                  "data": [d["department_name"] for d in ranked]},
        "series": [{"type": "bar", "name": "答复质量均分", "label": {"show": True},
                    "data": [round(d["figures"]["reply_quality_mean"]["value"] or 0, 1)
                             for d in ranked]}],
    }  # fmt: skip
    page.extra.update(report=report, department=department)
    page.formulas = reply_files.FORMULAS
    return page


def _department_replies(scope: Scope, region_code: str, report: dict, code: str) -> list:
    catalog = store.reference.fetch_catalog()
    department = catalog.departments.get(code)
    if department is None:
        return []
    period = report["period"]
    start = datetime.combine(period["first_day"], time(), SHANGHAI)
    end = datetime.combine(period["last_day"], time.max, SHANGHAI)
    regions = store.reference.fetch_region_index()
    codes = None if regions.get(region_code).parent_code is None else regions.descendants(
        region_code
    )
    found = store.replies.fetch_worst(scope, codes, start, end, DEPARTMENT_SHOWN,
                                      department_id=department.id)  # fmt: skip
    return disclosure.show_listed(scope, found)
