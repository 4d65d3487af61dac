"""The theme development set: real 问政 messages with their first-level theme (一级分类).

Two sources, both of TipDM 2020: the organisers' labelled sample (``附件2_sample495.xlsx``,
its own 一级分类 column) and 956 messages of ``附件4.xlsx`` that two independent readings of
ours labelled alike (``analytics/data/themes/messages.tsv``, keyed by 留言编号), following
the platform's own filing as the sample shows it; ``其他`` marks a message outside the seven
classes, kept in the file and left out here. The texts stay in the shared data folder.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from analytics.history import rows_by_number
from analytics.tables import read_rows

LABELS = Path(__file__).parents[1] / "data" / "themes" / "messages.tsv"
SAMPLE = Path("teddy2020") / "附件2_sample495.xlsx"
OUTSIDE = "其他"


@dataclass(frozen=True)
class Labelled:
    key: str
    title: str
    content: str
    label: str  # a first-level theme's name


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def sample(data: Path) -> list[Labelled]:
    """The organisers' labelled sample, as they labelled it."""
    rows = read_rows(data / SAMPLE, ("留言编号", "留言主题", "留言详情", "一级分类"))
    return [
        Labelled(f"{SAMPLE.name}:{row['留言编号']}", _clean(row["留言主题"]),
                 _clean(row["留言详情"]), str(row["一级分类"]).strip())
        for row in rows
        if row["一级分类"]
    ]  # fmt: skip


def ours(data: Path) -> list[Labelled]:
    """Our labelled messages of 附件4 within the seven classes."""
    with LABELS.open(encoding="utf-8") as handle:
        wanted: dict[str, dict[str, str]] = {}
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["label"] != OUTSIDE:
                wanted.setdefault(row["file"], {})[row["留言编号"]] = row["label"]
    items = []
    for file, labels in wanted.items():
        rows = rows_by_number(data / "teddy2020" / file, ("留言主题", "留言详情"))
        for number, row in rows.items():
            if number in labels:
                items.append(Labelled(f"{file}:{number}", _clean(row["留言主题"]),
                                      _clean(row["留言详情"]), labels[number]))  # fmt: skip
    return items
