"""The report files as Excel opens them: text that starts like a formula stays text, in the
XLSX and the CSV alike, and numbers stay numbers."""

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from analytics.report_files import Table, to_csv, to_xlsx, workbook

STARTS = ('=HYPERLINK("http://evil.example","点击查看")', "+86 138", "-停车", "@SUM(A1)",
          "\t=1+1", "\r=1+1")  # fmt: skip


def a_report(theme_name: str, change: int) -> dict:
    return {
        "region_code": "360000",
        "period": {"kind": "month", "first_day": date(2026, 3, 1), "last_day": date(2026, 3, 31)},
        "theme": None,
        "messages": 5,
        "previous": 1,
        "themes": [
            {
                "code": "transport",
                "name": theme_name,
                "messages": 2,
                "share": 0.4,
                "previous": 3,
                "change": change,
                "negative_share": 0.5,
                "keywords": ["停车"],
            },
        ],  # fmt: skip
        "by_region": [],
        "hot_issues": [],
    }


def test_every_formula_like_text_of_a_workbook_is_a_string_and_numbers_stay_numbers():
    rows = [(n, text, -n) for n, text in enumerate(STARTS, start=1)]
    content = workbook("报告", [("地区", STARTS[0])], datetime.now(UTC), ["=1+1"],
                       [Table("留言", ("编号", "标题", "变化"), rows)])  # fmt: skip
    book = load_workbook(io.BytesIO(content))
    for (number, title, change), (n, text, minus_n) in zip(
        book["留言"].iter_rows(min_row=2), rows, strict=True
    ):
        assert (title.data_type, title.quotePrefix) == ("s", True)
        assert title.value == text.replace("\r", "\n")  # XML reads a CR back as a LF
        assert (number.value, change.value, change.data_type) == (n, minus_n, "n")
    cover = [cell for row in book["说明"].iter_rows() for cell in row if cell.value]
    assert all(cell.data_type == "s" for cell in cover) and len(cover) == 7


def test_the_csv_puts_an_apostrophe_before_formula_like_text_only():
    for text in STARTS:
        table = list(csv.reader(io.StringIO(to_csv(a_report(text, -1), "江西省").lstrip("\ufeff"))))
        (row,) = table[1:]
        assert row[3] == "'" + text and row[7] == "-1"  # the change stays a number
        assert row[1] == "江西省" and row[9] == "停车"


def first_column_of_cover(content: bytes) -> list:
    return [
        row[0] for row in load_workbook(io.BytesIO(content))["说明"].iter_rows(values_only=True)
    ]


def test_a_cover_without_formulas_has_no_formula_heading():
    content = workbook("地图", [("地区", "江西省（360000）")], datetime.now(UTC), (), [])
    assert first_column_of_cover(content)[-1] == "生成时间"
    with_one = workbook("地图", [], datetime.now(UTC), ["满意率 = 3–5星评价 ÷ 有效评价"], [])
    assert first_column_of_cover(with_one)[-2:] == ["公式", "满意率 = 3–5星评价 ÷ 有效评价"]


def test_the_theme_reports_workbook_explains_its_hot_issue_sheet_which_it_has():
    content = to_xlsx(a_report("交通", 1), "江西省", datetime.now(UTC))
    assert "热点问题" in load_workbook(io.BytesIO(content)).sheetnames
    assert any(str(line).startswith("热点问题：") for line in first_column_of_cover(content))
