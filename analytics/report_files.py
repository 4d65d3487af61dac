"""The theme report as files analysts take into Excel: one CSV table, or an XLSX workbook
with a cover sheet (region, period, generation time, the formulas) and one sheet per view,
Chinese headers, fitted widths and a frozen header row. The same rows either way."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

THEME_HEADERS = (
    "地区代码",
    "地区",
    "主题代码",
    "主题",
    "留言数",
    "占比",
    "上期留言数",
    "变化",
    "负面占比",
)
REGION_HEADERS = ("地区代码", "地区", "地区留言数", "主题代码", "主题", "留言数", "占比")
FORMULAS = (
    "留言数：本期受理、属于该地区（含下级）并归入该主题（含下级主题）的留言数",
    "占比：留言数 ÷ 该地区本期全部留言数（含未分类）",
    "上期留言数、变化：上一同类时段的留言数，及本期与之差",
    "负面占比：情感标签为负面的留言数 ÷ 留言数",
)


def theme_rows(report: dict, region_name: str) -> list[tuple]:
    """The region's themes, one row each (THEME_HEADERS)."""
    return [
        (report["region_code"], region_name, t["code"] or "", t["name"], t["messages"],
         t["share"], t["previous"], t["change"], t["negative_share"])
        for t in report["themes"]
    ]  # fmt: skip


def region_rows(report: dict) -> list[tuple]:
    """Each child region's themes, one row each (REGION_HEADERS)."""
    return [
        (r["region_code"], r["name"], r["messages"], t["code"] or "", t["name"], t["messages"],
         t["share"])
        for r in report["by_region"]
        for t in r["themes"]
    ]  # fmt: skip


def to_csv(report: dict, region_name: str) -> str:
    """The region's themes then each child region's, in one table (THEME_HEADERS; a child's
    rows leave the previous period and negative share empty). With a BOM, so that Excel reads
    it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(THEME_HEADERS)
    writer.writerows(_blank_none(row) for row in theme_rows(report, region_name))
    for code, name, _, theme_code, theme, messages, share in region_rows(report):
        writer.writerow(_blank_none((code, name, theme_code, theme, messages, share, "", "", "")))
    return "\ufeff" + out.getvalue()


def to_xlsx(report: dict, region_name: str, generated_at: datetime) -> bytes:
    """The workbook: 说明 (the cover), 主题 (the region's themes), 分地区 (each child's)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cover = book.active
    cover.title = "说明"
    period = report["period"]
    cover.append(("主题分析报告",))
    cover["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("地区", f"{region_name}（{report['region_code']}）"),
        ("时段", f"{period['first_day']} 至 {period['last_day']}（{period['kind']}）"),
        ("主题", report["theme"] or "一级主题"),
        ("本期留言数", report["messages"]),
        ("上期留言数", report["previous"]),
        ("生成时间", generated_at.strftime("%Y-%m-%d %H:%M:%S %Z")),
    ):
        cover.append((label, value))
    cover.append(())
    cover.append(("公式",))
    for formula in FORMULAS:
        cover.append((formula,))
    _fit(cover)
    _sheet(book, "主题", THEME_HEADERS, theme_rows(report, region_name), percent=(5, 8))
    _sheet(book, "分地区", REGION_HEADERS, region_rows(report), percent=(6,))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book, title: str, headers: Sequence[str], rows: list[tuple], percent: Sequence[int]):
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in percent:  # shares as percentages
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = "0.0%"
    sheet.freeze_panes = "A2"
    _fit(sheet)


def _fit(sheet) -> None:
    """Column widths from the longest value (a Chinese character counts double)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                text = str(cell.value)
                width = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
                widths[cell.column] = max(widths.get(cell.column, 0), min(width, 60))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width + 2


def _blank_none(row: tuple) -> tuple:
    return tuple("" if value is None else value for value in row)
