"""The replies report (答复质量) as files: a CSV table of the departments, or a workbook with
the cover, the departments and the period's worst replies (as the reader may see them,
masked already). The writers are report_files' (formula-like text kept text)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from analytics.report_files import Table, csv_row, local_time, period_text, workbook

DEPARTMENT_HEADERS = (
    "部门代码", "部门", "答复数", "答复质量均分", "差答复占比", "套话占比", "按时答复率", "推诿数",
)  # fmt: skip
WORST_HEADERS = ("受理编号", "标题", "答复", "得分", "标记", "答复时间")
FLAG_NAMES = {"boilerplate": "套话", "evasion": "推诿", "no_result": "无结果",
              "off_topic": "答非所问"}  # fmt: skip
FORMULAS = (
    "答复质量得分（0–100）= 100 ×（0.40 相关性 + 0.25 完整性 + 0.20 可理解性 + 0.15 时效性），"
    "套话至多20分，推诿、无结果至多35分",
    "答复数：本期答复并已评分的留言（按答复日计）；答复质量均分：其得分的平均",
    "差答复占比：得分低于40的答复 ÷ 答复数；套话占比、按时答复率同理；推诿数：标记推诿的答复",
)


def _figures_row(code: str, name: str, figures: dict) -> tuple:
    mean = figures["reply_quality_mean"]
    return (code, name, mean["replies"], None if mean["value"] is None else round(mean["value"], 1),
            figures["reply_poor_share"]["value"], figures["reply_boilerplate_share"]["value"],
            figures["reply_on_time_rate"]["value"], figures["reply_evasions"]["value"])  # fmt: skip


def department_rows(report: dict, region_name: str) -> list[tuple]:
    """The region's row first, then each department's."""
    rows = [_figures_row(report["region_code"], f"{region_name}（合计）", report["figures"])]
    rows += [_figures_row(d["department_code"], d["department_name"], d["figures"])
             for d in report["by_department"]]  # fmt: skip
    return rows


def worst_rows(report: dict) -> list[tuple]:
    return [
        (m["tracking_code"], m["title"] or "", m["reply"] or "", m["reply_quality"]["score"],
         "、".join(name for flag, name in FLAG_NAMES.items() if m["reply_quality"][flag]),
         local_time(m["replied_at"]) if m["replied_at"] else "")
        for m in report["worst"]
    ]  # fmt: skip


def to_csv(report: dict, region_name: str) -> str:
    """The departments' table, with a BOM so that Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DEPARTMENT_HEADERS)
    writer.writerows(csv_row(row) for row in department_rows(report, region_name))
    return "\ufeff" + out.getvalue()


def to_xlsx(report: dict, region_name: str, generated_at: datetime) -> bytes:
    """The workbook: 说明, 部门 (the region's row and each department's), 最差答复."""
    period = report["period"]
    about = (
        ("地区", f"{region_name}（{report['region_code']}）"),
        ("时段", period_text(period["kind"], period["first_day"], period["last_day"])),
        ("答复数", report["figures"]["reply_quality_mean"]["replies"]),
    )
    tables = (
        Table("部门", DEPARTMENT_HEADERS, department_rows(report, region_name), percent=(4, 5, 6)),
        Table("最差答复", WORST_HEADERS, worst_rows(report)),
    )
    return workbook("答复质量报告", about, generated_at, FORMULAS, tables)
