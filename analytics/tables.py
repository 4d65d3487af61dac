"""Rows of the spreadsheets a province exports (xlsx, csv or tsv), as dicts by header.

Real exports are untidy: sheets that claim 65,000 rows and hold 495, header cells with stray
spaces, text cells padded with blocks of newlines and tabs. Blank rows are skipped, headers
and text cells trimmed; nothing else is changed.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class TableError(ValueError):
    """The file cannot be read as a table, or lacks a column asked for."""


def read_rows(
    path: Path, required: tuple[str, ...] = (), *, header: bool = True
) -> Iterator[dict[str, Any]]:
    r"""Each non-blank row of the first sheet (xlsx) or of the file (csv, or tsv: tab-separated,
    unquoted; UTF-8 with or without BOM), keyed by its header; TableError when a ``required``
    column is missing. A file without a header row (``header=False``, as the usual sentiment
    benchmarks come) has its columns named by position from 1.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "dev.tsv").write_text('很好 "赞"\tpositive\n', "utf-8")
    >>> list(read_rows(folder / "dev.tsv", ("1", "2"), header=False))
    [{'1': '很好 "赞"', '2': 'positive'}]
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    elif suffix in (".tsv", ".tab"):
        rows = _csv_rows(path, delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        raise TableError(f"{path.name}: not an .xlsx, .csv or .tsv file")
    try:
        first = next(rows)
    except StopIteration:
        raise TableError(f"{path.name}: the file is empty") from None
    if header:
        names = [str(cell).strip() if cell is not None else "" for cell in first]
    else:
        names = [str(number) for number in range(1, len(first) + 1)]
        rows = itertools.chain([first], rows)
    missing = [name for name in required if name not in names]
    if missing:
        raise TableError(
            f"{path.name}: no column {', '.join(missing)} (it has {', '.join(names)})"
        )
    for row in rows:
        values = [cell.strip() if isinstance(cell, str) else cell for cell in row]
        if all(value in (None, "") for value in values):
            continue
        yield dict(zip(names, values, strict=False))


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise TableError(f"{path.name}: not a readable xlsx file ({error})") from error
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def _csv_rows(path: Path, **dialect: Any) -> Iterator[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.reader(handle, **dialect)
