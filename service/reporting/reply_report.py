"""The replies report (答复质量): how each department of a region answers, for a period, from
the message facts as every report; and its worst replies of the period, to read, shown as
the reader may see them (access/disclosure.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from analytics.kpis import period_bounds
from analytics.replies import files as reply_files
from analytics.workdays import SHANGHAI
from service import store
from service.access import disclosure
from service.access.scope import Scope
from service.reporting import figures
from service.reporting.reports import FORMATS, file_name

#: The figures the report takes of the KPIs: those of the replies.
REPLY_FIGURES = ("reply_quality_mean", "reply_poor_share", "reply_boilerplate_share",
                 "reply_on_time_rate", "reply_evasions")  # fmt: skip
#: Worst replies listed.
WORST = 20


def reply_report(scope: Scope, region_code: str, period: str, day: date, now: datetime) -> dict:
    kpis = figures.report(region_code, period, day, now=now)
    first, last = period_bounds(period, day)
    start = datetime.combine(first, datetime.min.time(), SHANGHAI)
    end = datetime.combine(last, datetime.min.time(), SHANGHAI)
    regions = store.reference.fetch_region_index()
    codes = None if regions.get(region_code).parent_code is None else regions.descendants(
        region_code
    )
    worst = store.replies.fetch_worst(scope, codes, start, end, WORST)
    departments = [
        {"department_code": d["department_code"], "department_name": d["department_name"],
         "figures": _replies(d["figures"])}
        for d in kpis["by_department"] if d["figures"]["reply_quality_mean"]["replies"]
    ]  # fmt: skip
    return {
        "region_code": region_code,
        "period": {"kind": period, "first_day": first, "last_day": last - timedelta(days=1)},
        "figures": _replies(kpis["figures"]),
        "by_department": sorted(departments, key=_worst_first),
        "worst": disclosure.show_listed(scope, worst),
    }


def reply_report_file(report: dict, fmt: str) -> tuple[bytes, str, str]:
    """The report as a file: (content, media type, file name)."""
    name = store.reference.fetch_region_index().get(report["region_code"]).name
    filename = file_name("replies", report, fmt)
    if fmt == "csv":
        content = reply_files.to_csv(report, name).encode("utf-8")
    else:
        content = reply_files.to_xlsx(report, name, datetime.now(SHANGHAI))
    return content, FORMATS[fmt], filename


def _replies(figures_: dict[str, Any]) -> dict[str, Any]:
    return {name: figures_[name] for name in REPLY_FIGURES}


def _worst_first(department: dict) -> tuple:
    mean = department["figures"]["reply_quality_mean"]["value"]
    return (mean if mean is not None else 101, department["department_code"])
