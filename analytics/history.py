"""Cleaning the cells of a 12345/问政 history export: the real mess of such files.

Times come as Excel datetimes, as Excel serial numbers, or as text in several layouts
(``2019/2/28 11:25:05``); all are Beijing time. Ids come as numbers that Excel stored as
floats (``1234.0``). Text cells carry blocks of newlines and tabs around and inside them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from analytics.workdays import SHANGHAI

_EXCEL_EPOCH = datetime(1899, 12, 30)
_TEXT_TIMES = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)
_SERIAL = re.compile(r"\d{4,6}(\.\d+)?")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: The largest count a cell may hold: a PostgreSQL integer column's (likes, dislikes).
MAX_COUNT = 2**31 - 1


def parse_time(value: object) -> datetime:
    """An aware datetime from a time cell (Beijing time); ValueError naming what it got.

    >>> parse_time("2019/2/28 11:25:05").isoformat()
    '2019-02-28T11:25:05+08:00'
    >>> parse_time(43524.5).isoformat()
    '2019-02-28T12:00:00+08:00'
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 200_000:
        # Excel keeps a time as a fraction of a day, a little off: the nearest second is meant.
        moment = _EXCEL_EPOCH + timedelta(seconds=round(float(value) * 86_400))
    elif _SERIAL.fullmatch(str(value or "").strip()):  # a serial number that came as text
        return parse_time(float(str(value).strip()))
    else:
        text = str(value or "").strip()
        for layout in _TEXT_TIMES:
            try:
                moment = datetime.strptime(text, layout)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"not a time: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def clean_text(value: object) -> str:
    """NFC text with control characters gone, blank lines and padding collapsed, trimmed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLANK_LINES.sub("\n", text)
    return _SPACES.sub(" ", text).strip()


def clean_id(value: object) -> str | None:
    """A source id as text: ``1234.0`` (Excel's float) is ``1234``; blank is None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    return text or None


def clean_count(value: object) -> int | None:
    """A count cell (likes): a whole number from 0 to MAX_COUNT, or None when blank;
    ValueError naming what it got otherwise, as parse_time's does (never float()'s own
    words, nor its TypeError for a date that Excel put in the column).

    >>> clean_count("12"), clean_count(3.0), clean_count(" ")
    (12, 3, None)
    >>> clean_count("abc")
    Traceback (most recent call last):
    ValueError: not a count: 'abc'
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = -1.0
    if not (0 <= number <= MAX_COUNT) or not number.is_integer():
        raise ValueError(f"not a count: {value!r}")
    return int(number)


def rows_by_number(path: Path, columns: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The rows of a TipDM-style export by their 留言编号 (``clean_id``), the first where one
    repeats (real exports repeat a few): what our labelled sets join their labels to."""
    from analytics.tables import read_rows

    found: dict[str, dict[str, Any]] = {}
    for row in read_rows(path, ("留言编号", *columns)):
        number = clean_id(row["留言编号"])
        if number is not None:
            found.setdefault(number, row)
    return found
