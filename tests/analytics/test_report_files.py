"""The report files as Excel opens them: text that starts like a formula stays text, in the
XLSX and the CSV alike, and numbers stay numbers."""

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from analytics.report_files import Table, to_csv, workbook

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
