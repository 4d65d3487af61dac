"""The hot-issue development set: messages of TipDM 2020 附件4 grouped by hand into the real
issues they raise (one problem at one place), by two independent readings; only the messages
both readings put in the same group (or both left alone) are kept.

The groups are ours (``analytics/data/hot_issues/groups.tsv``: 留言编号 and an issue label,
``-`` for a message alone in its issue); the texts stay in the shared data folder. The search
is measured on all of 附件4, so the other 2,400 messages are there to be wrongly joined to.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from analytics.history import parse_time, rows_by_number
from analytics.hot_issues import Doc, HotIssue

GROUPS = Path(__file__).parents[1] / "data" / "hot_issues" / "groups.tsv"
SOURCE = Path("teddy2020") / "附件4.xlsx"


def issues() -> dict[int, str]:
    """留言编号 → its issue; a message alone in its issue gets one of its own."""
    with GROUPS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {
        int(row["留言编号"]): row["issue"] if row["issue"] != "-" else f"alone:{row['留言编号']}"
        for row in rows
    }


def docs(data: Path, partition: str = "all") -> list[Doc]:
    """Every message of 附件4 (the first of a repeated 留言编号), as the search reads it: one
    partition, each 留言用户 a citizen."""
    found = []
    rows = rows_by_number(data / SOURCE, ("留言用户", "留言主题", "留言时间", "留言详情"))
    for key, row in rows.items():
        number = int(key)
        text = " ".join(str(row["留言详情"] or "").split())
        found.append(Doc(number, str(row["留言主题"] or "").strip(), text,
                         parse_time(row["留言时间"]), str(row["留言用户"]), partition))  # fmt: skip
    return found


def waves(truth: dict[int, str], at: dict[int, float], link_days: float) -> dict[int, tuple]:
    """Each message's issue and wave: an issue that went quiet for more than ``link_days``
    starts a new wave, which the search reports as a new issue (analytics.hot_issues)."""
    members: defaultdict[str, list[int]] = defaultdict(list)
    for number, issue in truth.items():
        members[issue].append(number)
    found = {}
    for issue, numbers in members.items():
        numbers.sort(key=at.__getitem__)
        wave = 0
        for before, number in zip([None, *numbers], numbers, strict=False):
            if before is not None and at[number] - at[before] > link_days * 86400:
                wave += 1
            found[number] = (issue, wave)
    return found


@dataclass(frozen=True)
class PairScores:
    """Pairwise figures of a grouping against the hand-grouped issues: a pair is two kept
    messages; precision over the pairs the search joined, recall over the pairs of one wave."""

    precision: float
    recall: float
    joined: int
    wrong: list[tuple[int, int]]
    missed: list[tuple[int, int]]


def pair_scores(
    groups: list[list[int]], truth: dict[int, str], wave: dict[int, tuple]
) -> PairScores:
    group_of = {number: n for n, members in enumerate(groups) for number in members}
    joined = right = same_wave = 0
    wrong, missed = [], []
    for a, b in itertools.combinations(sorted(truth), 2):
        together = a in group_of and group_of.get(a) == group_of.get(b)
        if together:
            joined += 1
            if truth[a] == truth[b]:
                right += 1
            else:
                wrong.append((a, b))
        if wave[a] == wave[b]:
            same_wave += 1
            if not together:
                missed.append((a, b))
    found = same_wave - len(missed)
    return PairScores(right / max(joined, 1), found / max(same_wave, 1), joined, wrong, missed)


def split_issues(top: list[HotIssue], wave: dict[int, tuple]) -> list[tuple]:
    """The hand-grouped issues (waves) found split over two or more of ``top``."""
    seen: defaultdict[tuple, int] = defaultdict(int)
    for issue in top:
        for key in {wave[n] for n in issue.message_ids if n in wave}:
            seen[key] += 1
    return [key for key, count in seen.items() if count > 1 and not key[0].startswith("alone:")]
