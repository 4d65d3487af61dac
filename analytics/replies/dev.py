"""The reply-quality development set: replies of the TipDM 2020 附件4 judged good, acceptable
or poor, with flags, by two independent readings of ``analytics/data/replies/GUIDE.md``;
kept where both agree (a flag where both agree on it, "-" in the file otherwise).

The labels are ours (``analytics/data/replies/labels.tsv``, keyed by 留言编号); the messages
and replies stay in the shared data folder and are joined here. A reply is measured against
every reply of 附件4 for its templates, as the service measures one against every stored
reply.
"""

from __future__ import annotations

import csv
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from analytics.history import parse_time, rows_by_number
from analytics.replies import Thresholds, judge
from analytics.replies.parts import Parts, measure
from analytics.replies.templates import TemplateIndex
from analytics.workdays import working_days_between

LABELS = Path(__file__).parents[1] / "data" / "replies" / "labels.tsv"
FLAGS = ("boilerplate", "evasion", "no_result", "off_topic")
SOURCE = ("teddy2020", "附件4.xlsx")
#: The time limit the development set's replies are held to: the ordinary matter's.
LIMIT = 5


@dataclass(frozen=True)
class Judged:
    """A labelled reply with what the scorer measures of it."""

    number: str
    quality: str | None  # good, acceptable, poor; None where the readings disagreed
    flags: dict[str, bool]  # those both readings agreed on
    parts: Parts
    twins: int

    def scored(self, thresholds: Thresholds | None = None):
        return judge(self.parts, self.twins, thresholds or Thresholds())


def labels() -> dict[str, dict[str, str]]:
    with LABELS.open(encoding="utf-8") as handle:
        return {row["留言编号"]: row for row in csv.DictReader(handle, delimiter="\t")}


def load(data: Path) -> list[Judged]:
    """The labelled replies, measured: ``data`` is the shared data folder."""
    columns = ("留言主题", "留言详情", "留言时间", "答复意见", "答复时间")
    rows = rows_by_number(data.joinpath(*SOURCE), columns)
    index = TemplateIndex()
    for number, row in rows.items():
        index.add(int(number), f"{row['留言主题']}。{row['留言详情']}", row["答复意见"] or "")
    judged = []
    for number, label in labels().items():
        row = rows[number]
        days = _working_days(row["留言时间"], row["答复时间"])
        parts = measure(row["留言主题"], row["留言详情"], row["答复意见"] or "", days, LIMIT)
        judged.append(
            Judged(
                number=number,
                quality=None if label["quality"] == "-" else label["quality"],
                flags={f: label[f] == "1" for f in FLAGS if label[f] != "-"},
                parts=parts,
                twins=index.twins(int(number)),
            )
        )
    return judged


def _working_days(asked: object, replied: object) -> int | None:
    try:
        return working_days_between(parse_time(asked), parse_time(replied))
    except ValueError:
        return None


#: The thresholds each flag reads, and the values tried for them.
GRID: dict[str, dict[str, Sequence]] = {
    "boilerplate": {
        "template_twins": (1, 2, 3),
        "generic_relevance": (0.0, 0.1, 0.2, 0.3),
        "generic_receipt": (0.2, 0.3, 0.4, 0.5),
        "generic_length": (0, 20, 40, 60),
    },
    "evasion": {"evasive_relevance": (0.1, 0.2, 0.35, 0.5),
                "evasive_length": (100, 200, 300, 500)},
    "no_result": {"result_length": (60, 100, 150, 250),
                  "result_receipt": (0.2, 0.3, 0.4, 0.5)},
    "off_topic": {"off_topic_relevance": (0.0, 0.05, 0.1), "off_topic_length": (120, 300, 600)},
}  # fmt: skip
#: The precision a flag's thresholds must reach on the data they are set on: above the
#: targets (boilerplate 0.90, evasion 0.80), so that they hold on data not seen.
FLOORS = {"boilerplate": 0.95, "evasion": 0.85, "no_result": 0.85, "off_topic": 0.9}


def counts(items: Sequence[Judged], flag: str, thresholds: Thresholds) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of ``flag`` on the items whose
    readings agreed on it."""
    tp = fp = fn = 0
    for item in items:
        if flag not in item.flags:
            continue
        said, truth = getattr(item.scored(thresholds), flag), item.flags[flag]
        tp, fp, fn = tp + (said and truth), fp + (said and not truth), fn + (truth and not said)
    return tp, fp, fn


def choose(items: Sequence[Judged]) -> Thresholds:
    """For each flag, of GRID's values, those that find the most of it (recall) at FLOORS'
    precision on ``items``; where none reach it, the most precise."""
    chosen = Thresholds()
    for flag, grid in GRID.items():
        best, best_key = None, None
        for values in itertools.product(*grid.values()):
            trial = replace(chosen, **dict(zip(grid, values, strict=True)))
            tp, fp, fn = counts(items, flag, trial)
            if tp == 0:
                continue
            precision, recall = tp / (tp + fp), tp / (tp + fn)
            key = (precision >= FLOORS[flag], recall if precision >= FLOORS[flag] else precision,
                   precision)  # fmt: skip
            if best_key is None or key > best_key:
                best, best_key = trial, key
        if best is not None:
            chosen = replace(chosen, **{name: getattr(best, name) for name in grid})
    return chosen


def folds(items: Sequence[Judged], k: int = 5, seed: int = 1) -> list[list[Judged]]:
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def auc(higher: Sequence[float], lower: Sequence[float]) -> float:
    """The chance that an item of ``higher`` outscores one of ``lower`` (ties half)."""
    wins = sum((h > low) + 0.5 * (h == low) for h in higher for low in lower)
    return wins / (len(higher) * len(lower))


def cross_validated(items: Sequence[Judged], k: int = 5) -> dict[str, float]:
    """The figures on held-back folds: each fold scored with thresholds chosen on the others;
    the flags' precision and recall pooled, the AUC of good against poor pooled."""
    pooled = {flag: [0, 0, 0] for flag in GRID}
    good, poor = [], []
    parts = folds(items, k)
    for held, fold in enumerate(parts):
        thresholds = choose([item for i, p in enumerate(parts) if i != held for item in p])
        for flag in GRID:
            for n, value in enumerate(counts(fold, flag, thresholds)):
                pooled[flag][n] += value
        for item in fold:
            score = item.scored(thresholds).score
            if item.quality == "good":
                good.append(score)
            elif item.quality == "poor":
                poor.append(score)
    figures = {"auc": auc(good, poor)}
    for flag, (tp, fp, fn) in pooled.items():
        figures[f"{flag}_precision"] = tp / (tp + fp) if tp + fp else float("nan")
        figures[f"{flag}_recall"] = tp / (tp + fn) if tp + fn else float("nan")
    return figures
