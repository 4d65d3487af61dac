"""The reports as files analysts take into Excel: the theme report as one CSV table, or as an
XLSX workbook with a cover sheet (region, period, generation time, the formulas) and one
sheet per view, Chinese headers, fitted widths and a frozen header row (the same rows either
way); and ``workbook``, which every XLSX export is made by, the dashboard's tables too."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from analytics.workdays import SHANGHAI

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
    "关键词",
)
REGION_HEADERS = ("地区代码", "地区", "地区留言数", "主题代码", "主题", "留言数", "占比")
HOT_ISSUE_HEADERS = (
    "排名", "描述", "地点", "地区", "首条时间", "末条时间", "留言数", "群众数", "点赞数",
    "上期留言数", "增长", "负面占比", "热度指数", "留言编号",
)  # fmt: skip
FORMULAS = (
    "留言数：本期受理、属于该地区（含下级）并归入该主题（含下级主题）的留言数",
    "占比：留言数 ÷ 该地区本期全部留言数（含未分类）",
    "上期留言数、变化：上一同类时段的留言数，及本期与之差",
    "负面占比：情感标签为负面的留言数 ÷ 留言数",
    "关键词：该主题区别于其他主题的词（基于类别的TF-IDF），取自本期该主题至多100条留言（已脱敏）",
    "热点问题：不同群众就同一地点的同一问题的留言；热度指数 = (群众数 + ln(1+点赞数)) × "
    "(1+负面占比) × (1+增长)，增长 = (本期 − 上期) ÷ max(上期,1)，取0–1",
)


def theme_rows(report: dict, region_name: str) -> list[tuple]:
    """The region's themes, one row each (THEME_HEADERS)."""
    return [
        (report["region_code"], region_name, t["code"] or "", t["name"], t["messages"],
         t["share"], t["previous"], t["change"], t["negative_share"], "、".join(t["keywords"]))
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


def hot_issue_rows(report: dict) -> list[tuple]:
    """The period's hot issues, one row each (HOT_ISSUE_HEADERS); none when not searched."""
    return [
        (h["rank"], h["description"], h["place"] or "", h["region_name"] or "",
         _local(h["first_at"]), _local(h["last_at"]), h["messages"], h["citizens"], h["likes"],
         h["previous"], h["growth"], h["negative_share"], h["index"],
         " ".join(map(str, h["message_ids"])))
        for h in report.get("hot_issues") or []
    ]  # fmt: skip


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def to_csv(report: dict, region_name: str) -> str:
    """The region's themes then each child region's, in one table (THEME_HEADERS; a child's
    rows leave the previous period and negative share empty). With a BOM, so that Excel reads
    it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(THEME_HEADERS)
    writer.writerows(_blank_none(row) for row in theme_rows(report, region_name))
    for code, name, _, theme_code, theme, messages, share in region_rows(report):
        row = (code, name, theme_code, theme, messages, share, "", "", "", "")
        writer.writerow(_blank_none(row))
    return "\ufeff" + out.getvalue()


def to_xlsx(report: dict, region_name: str, generated_at: datetime) -> bytes:
    """The workbook: 说明 (the cover), 主题 (the region's themes), 分地区 (each child's),
    热点问题 (the period's hot issues)."""
    period = report["period"]
    about = (
        ("地区", f"{region_name}（{report['region_code']}）"),
        ("时段", f"{period['first_day']} 至 {period['last_day']}（{period['kind']}）"),
        ("主题", report["theme"] or "一级主题"),
        ("本期留言数", report["messages"]),
        ("上期留言数", report["previous"]),
    )
    tables = (
        Table("主题", THEME_HEADERS, theme_rows(report, region_name), percent=(5, 8)),
        Table("分地区", REGION_HEADERS, region_rows(report), percent=(6,)),
        Table("热点问题", HOT_ISSUE_HEADERS, hot_issue_rows(report), percent=(10, 11)),
    )
    return workbook("主题分析报告", about, generated_at, FORMULAS, tables)


@dataclass(frozen=True)
class Table:
    """A table as a page shows it and a workbook's sheet holds it: ``percent`` names the
    columns (0-based) that hold shares."""

    title: str
    headers: Sequence[str]
    rows: Sequence[tuple]
    percent: Sequence[int] = ()


def workbook(
    title: str,
    about: Sequence[tuple[str, object]],
    generated_at: datetime,
    formulas: Sequence[str],
    tables: Sequence[Table],
) -> bytes:
    """An XLSX file: a cover sheet 说明 (``title``, the ``about`` pairs, the generation time
    and the ``formulas``), then a sheet per table, with a bold, frozen header row, shares as
    percentages and fitted widths. Every export, the API's and the dashboard's, is one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cover = book.active
    cover.title = "说明"
    cover.append((title,))
    cover["A1"].font = Font(bold=True, size=14)
    for label, value in (*about, ("生成时间", generated_at.strftime("%Y-%m-%d %H:%M:%S %Z"))):
        cover.append((label, value))
    cover.append(())
    cover.append(("公式",))
    for formula in formulas:
        cover.append((formula,))
    _fit(cover)
    for table in tables:
        _sheet(book, table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book, table: Table) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(table.title[:31])  # Excel's limit for a sheet's name
    sheet.append(tuple(table.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    for column in table.percent:
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
