"""Hot-issue quality on real data: ``.venv/bin/python bench/hot_issue_quality.py``.

Runs the search over all 2,816 messages of ``../shared/data/teddy2020/附件4.xlsx`` as one
partition and prints, against the hand-grouped issues of ``analytics/data/hot_issues``: the
pairwise precision (pairs joined that are one issue) and recall (pairs of one wave found
together), the hand-grouped issues split over two of the top ten, and the seconds the grouping
took (best of three). Needs ../shared/data.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.hot_issues import Rules, find_hot_issues, group_docs  # noqa: E402
from analytics.hot_issues import dev as hot_issue_dev  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    docs = hot_issue_dev.docs(DATA)
    truth = hot_issue_dev.issues()
    rules = Rules()
    wave = hot_issue_dev.waves(truth, {d.id: d.at.timestamp() for d in docs}, rules.link_days)
    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        groups = group_docs(docs, rules)
        seconds.append(time.perf_counter() - started)
    scores = hot_issue_dev.pair_scores(groups, truth, wave)
    top = find_hot_issues(docs, min(doc.at for doc in docs), rules)[:10]
    print(f"messages searched {len(docs)}, hand-grouped {len(truth)}")
    print(f"pairwise precision {scores.precision:.3f} ({scores.joined} pairs joined)")
    print(f"pairwise recall within a wave {scores.recall:.3f}")
    split = hot_issue_dev.split_issues(top, wave)
    print(f"hand-grouped issues split over two of the top ten: {len(split)}")
    print(f"grouping seconds, best of 3: {min(seconds):.2f}")


if __name__ == "__main__":
    main()
