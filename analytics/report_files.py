"""The reports as files analysts take into Excel: the theme report as one CSV table, or as an
XLSX workbook with a cover sheet (region, period, generation time, the formulas) and one
sheet per view, Chinese headers, fitted widths and a frozen header row (the same rows either
way); and ``workbook``, which every XLSX export is made by, the dashboard's tables too.

Citizens write much of what these files hold (titles, places, keywords), and a cell that
starts like a formula is run by the spreadsheet that opens it. ``formula_like`` says which
text would be; both writers keep it text (OWASP, "CSV Injection")."""

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
PERIOD_NAMES = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"}
#: What makes a spreadsheet read a cell as a formula when it starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What the theme sheets (主题, 分地区) count, and what the 热点问题 sheet does: a cover states
#: only those of the sheets its file has.
THEME_FORMULAS = (
    "留言数：本期受理、属于该地区（含下级）并归入该主题（含下级主题）的留言数",
    "占比：留言数 ÷ 该地区本期全部留言数（含未分类）",
    "上期留言数、变化：上一同类时段的留言数，及本期与之差",
    "负面占比：情感标签为负面的留言数 ÷ 留言数",
    "关键词：该主题区别于其他主题的词（基于类别的TF-IDF），取自本期该主题至多100条留言（已脱敏）",
)
HOT_ISSUE_FORMULA = (
    "热点问题：不同群众就同一地点的同一问题的留言；热度指数 = (群众数 + ln(1+点赞数)) × "
    "(1+负面占比) × (1+增长)，增长 = (本期 − 上期) ÷ max(上期,1)，取0–1"
)
FORMULAS = (*THEME_FORMULAS, HOT_ISSUE_FORMULA)


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula: text starting with = + - @, a
    tab or a carriage return. A citizen may title a message ``=HYPERLINK("http://…","点击查看")``;
    the CSV writer puts an apostrophe before such text, the XLSX writer stores it as a string
    with Excel's quote prefix (shown without the apostrophe). Numbers are never formulas: a
    negative change stays a number.

    >>> formula_like('=HYPERLINK("http://evil.example")'), formula_like("-1"), formula_like(-1)
    (True, True, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def period_text(kind: str, first_day: object, last_day: object) -> str:
    """A period as a cover names it: 2026-03-01 至 2026-03-31（月）.

    >>> period_text("quarter", "2026-01-01", "2026-03-31")
    '2026-01-01 至 2026-03-31（季度）'
    """
    return f"{first_day} 至 {last_day}（{PERIOD_NAMES.get(kind, kind)}）"


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
         local_time(h["first_at"]), local_time(h["last_at"]), h["messages"], h["citizens"],
         h["likes"], h["previous"], h["growth"], h["negative_share"], h["index"],
         " ".join(map(str, h["message_ids"])))
        for h in report.get("hot_issues") or []
    ]  # fmt: skip


def local_time(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def to_csv(report: dict, region_name: str) -> str:
    """The region's themes then each child region's, in one table (THEME_HEADERS; a child's
    rows leave the previous period and negative share empty). With a BOM, so that Excel reads
    it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(THEME_HEADERS)
    writer.writerows(csv_row(row) for row in theme_rows(report, region_name))
    for code, name, _, theme_code, theme, messages, share in region_rows(report):
        row = (code, name, theme_code, theme, messages, share, "", "", "", "")
        writer.writerow(csv_row(row))
    return "\ufeff" + out.getvalue()


def to_xlsx(
    report: dict, region_name: str, generated_at: datetime, theme_name: str | None = None
) -> bytes:
    """The workbook: 说明 (the cover), 主题 (the region's themes), 分地区 (each child's),
    热点问题 (the period's hot issues). ``theme_name`` names the theme drilled into."""
    period = report["period"]
    theme = report["theme"]
    about = (
        ("地区", f"{region_name}（{report['region_code']}）"),
        ("时段", period_text(period["kind"], period["first_day"], period["last_day"])),
        ("主题", f"{theme_name or theme}（{theme}）" if theme else "一级主题"),
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
    and the ``formulas``, under a 公式 heading if there are any), then a sheet per table, with
    a bold, frozen header row, shares as percentages and fitted widths. Every export, the
    API's and the dashboard's, is one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cover = book.active
    cover.title = "说明"
    _append(cover, (title,))
    cover["A1"].font = Font(bold=True, size=14)
    generated = f"{generated_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}（北京时间）"
    for label, value in (*about, ("生成时间", generated)):
        _append(cover, (label, value))
    if formulas:
        cover.append(())
        cover.append(("公式",))
        for formula in formulas:
            _append(cover, (formula,))
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
        _append(sheet, row)
    for column in table.percent:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = "0.0%"
    sheet.freeze_panes = "A2"
    _fit(sheet)


def _append(sheet, row: Sequence) -> None:
    """Append ``row``, its text stored as text: openpyxl would store text starting with = as
    a formula (and #N/A as an error)."""
    sheet.append(tuple(row))
    for cell in sheet[sheet.max_row]:  # the row just appended
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if formula_like(cell.value):
                cell.quotePrefix = True


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


def csv_row(row: tuple) -> tuple:
    """A row as the CSV holds it: None blank, formula-like text behind an apostrophe."""
    return tuple(
        "" if value is None else f"'{value}" if formula_like(value) else value for value in row
    )
