"""The sentiment development set: real texts labelled negative, neutral or positive by two
independent readings with ``../shared/sentiment-guide.md``, of which only the items both
readings agreed on are kept.

The labels are ours and live here (``analytics/data/sentiment/``), keyed by where each text
comes from; the texts stay in the shared data folder and are joined at load time:

- ``messages.tsv``: file, 留言编号, label: real 问政 messages of the TipDM 2020 data
  (附件4 and the 495 sample), read as title and text together.
- ``comments.tsv``: id, text, label: short 好差评-style comments written for this set (the
  texts are ours, so they are kept here whole).
- ``reviews.tsv``: file, row, label: short review lines of the shared review corpora (the
  record's number from 1, a header counting as one).

A set's rows come back as ``Labelled`` items; ``load`` needs the shared data folder.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analytics.history import rows_by_number
from analytics.sentiment import message_text

LABELS_DIR = Path(__file__).parents[1] / "data" / "sentiment"
#: Where the labels' own words map to the model's classes.
CLASSES = {"neg": "negative", "neu": "neutral", "pos": "positive"}


@dataclass(frozen=True)
class Labelled:
    """One labelled text: ``source`` says which set it is of (messages, comments, reviews)."""

    key: str
    text: str
    label: str
    source: str


def _label_rows(name: str) -> Iterator[list[str]]:
    with (LABELS_DIR / name).open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        yield from reader


def messages(data: Path) -> list[Labelled]:
    """The labelled 问政 messages, their texts read from ``data``/teddy2020."""
    wanted: dict[str, dict[str, str]] = {}
    for file, number, label in _label_rows("messages.tsv"):
        wanted.setdefault(file, {})[number] = CLASSES[label]
    items = []
    for file, labels in wanted.items():
        rows = rows_by_number(data / "teddy2020" / file, ("留言主题", "留言详情"))
        for number, row in rows.items():
            if number in labels:
                text = message_text(row["留言主题"], row["留言详情"])
                items.append(Labelled(f"{file}:{number}", text, labels[number], "messages"))
    return items


def comments() -> list[Labelled]:
    """The short 好差评-style comments (texts kept here)."""
    return [
        Labelled(key, text, CLASSES[label], "comments")
        for key, text, label in _label_rows("comments.tsv")
    ]


def reviews(data: Path) -> list[Labelled]:
    """The labelled short review lines, their texts read from ``data``/sentiment."""
    wanted: dict[str, dict[int, str]] = {}
    for file, row, label in _label_rows("reviews.tsv"):
        wanted.setdefault(file, {})[int(row)] = CLASSES[label]
    items = []
    for file, labels in wanted.items():
        path = data / "sentiment" / file
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if file.endswith(".csv"):  # cat, label, review; a review may span lines
                records = [record[2] for record in csv.reader(handle)]
            else:  # text, label
                records = [line.split("\t")[0] for line in handle.read().splitlines()]
        for number, label in sorted(labels.items()):
            items.append(Labelled(f"{file}:{number}", records[number - 1].strip(), label,
                                  "reviews"))
    return items


def load(data: Path) -> list[Labelled]:
    """The whole development set: messages, comments and reviews."""
    return messages(data) + comments() + reviews(data)
