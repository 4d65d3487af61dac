"""The model trained on a province's labelled history (the package's docstring says how it
reads a message). Saved models are pickles of its pipeline: its transformers are found by
their module's name, and ``analytics.themes`` re-exports them for models saved before the
package was split."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics.themes.rules import KeywordMatcher, Placement, message_text
from analytics.themes.taxonomy import Taxonomy
from analytics.words import SHIPPED_DICTIONARY, WORD, segmenter

#: The keyword branch features' length against the text's (each of its two TF-IDF parts has
#: length 1): enough to tell a few hundred labelled messages what 幼儿园 means, not so much
#: that the keywords outvote the words a province's own labels taught.
KEYWORD_WEIGHT = 0.2
#: Names the features and classifier of ``build_pipeline``: part of a trained model's version,
#: so that the same data trained by changed code is a new version (and gets re-scored).
PIPELINE = (
    "placeless:jieba-nohmm1-2+char1-3,min-df-2+branch-keywords-0.2/linear-svm-balanced-calibrated"
)


class Placeless:
    """A scikit-learn transformer: the texts with the places in them taken out (regions,
    named compounds, roads, schools…, see ``analytics.places.place_names``) and every
    number read as 0. Where a message is says nothing of what it is about."""

    def fit(self, texts: Any, labels: Any = None) -> Placeless:
        return self

    def transform(self, texts: Iterable[str]) -> list[str]:
        return [placeless(text) for text in texts]

    def get_params(self, deep: bool = True) -> dict:
        return {}

    def set_params(self, **params: Any) -> Placeless:
        return self


_ANONYMISED_REGION = re.compile(r"[A-Z]\d{0,2}[市区县]|西地省")
_DIGITS = re.compile(r"\d+")


def placeless(text: str) -> str:
    """``text`` without its places and with its numbers as 0.

    >>> placeless("A3区景湖花园小区12栋电梯坏了")
    '  0栋电梯坏了'
    """
    from analytics.places import place_names, region_names

    text = _ANONYMISED_REGION.sub(" ", text)
    for name in sorted(place_names(text) | _regions_in(text, region_names()), key=len,
                       reverse=True):  # fmt: skip
        text = text.replace(name, " ")
    return _DIGITS.sub("0", text)


def _regions_in(text: str, names: frozenset[str]) -> set[str]:
    """The full names of Jiangxi's regions (南昌市, 青山湖区) ``text`` holds."""
    return {name for name in names if len(name) > 2 and name[-1] in "省市县区" and name in text}


class BranchKeywords:
    """A scikit-learn transformer: per first-level branch, the share of the text's keyword
    hits that point at it (an L2-normalised vector, scaled by ``weight``)."""

    def __init__(self, taxonomy_rows: Sequence[dict] = (), weight: float = 0.5) -> None:
        self.taxonomy_rows = taxonomy_rows
        self.weight = weight

    def fit(self, texts: Any, labels: Any = None) -> BranchKeywords:
        taxonomy = Taxonomy.from_dicts(self.taxonomy_rows)
        self.branches_ = [t.code for t in taxonomy.first_levels()]
        self.branch_of_ = {code: taxonomy.branch_of(code) for code in taxonomy.themes}
        self.matcher_ = KeywordMatcher(taxonomy)
        return self

    def transform(self, texts: Iterable[str]) -> Any:
        import numpy as np
        from scipy import sparse

        column = {code: n for n, code in enumerate(self.branches_)}
        rows = []
        for text in texts:
            vector = np.zeros(len(self.branches_))
            for code, count in self.matcher_.hits(text).items():
                vector[column[self.branch_of_[code]]] += count
            norm = np.linalg.norm(vector)
            rows.append(vector / norm * self.weight if norm else vector)
        return sparse.csr_matrix(np.array(rows).reshape(len(rows), len(self.branches_)))

    # scikit-learn's clone() and pipelines read and set these.
    def get_params(self, deep: bool = True) -> dict:
        return {"taxonomy_rows": self.taxonomy_rows, "weight": self.weight}

    def set_params(self, **params: Any) -> BranchKeywords:
        for name, value in params.items():
            setattr(self, name, value)
        return self


def _words(text: str) -> list[str]:
    """jieba's words, with the shipped sentiment model's dictionary and without its HMM
    guessing of unknown words (3 times faster; the character n-grams see those words)."""
    words = segmenter(SHIPPED_DICTIONARY).lcut(text, HMM=False)
    return [word for word in words if WORD.search(word)]


class TooFewExamples(ValueError):
    """A theme has too few labelled messages to train (and calibrate) on."""


def _smallest_class(labels: Sequence[str]) -> int:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return min(counts.values())


def build_pipeline(taxonomy: Taxonomy, calibration_folds: int = 3) -> Any:
    """The untrained model (see the module's docstring); its confidence is calibrated by
    ``calibration_folds``-fold cross-validation inside the training data."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.svm import LinearSVC

    rows = [
        {"code": t.code, "name": t.name, "parent": t.parent_code, "keywords": list(t.keywords)}
        for t in taxonomy.themes.values()
    ]
    counts = FeatureUnion(
        [
            ("words", TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False,
                                      ngram_range=(1, 2), min_df=2)),
            ("characters", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2)),
        ]
    )  # fmt: skip
    features = FeatureUnion(
        [
            ("text", make_pipeline(Placeless(), counts)),
            ("keywords", BranchKeywords(rows, KEYWORD_WEIGHT)),  # a compound's 小区 still counts
        ]
    )
    svm = LinearSVC(C=1.0, class_weight="balanced")
    # One SVM, calibrated on cross-validated scores (not one per fold): a third of the cost
    # of placing a message.
    calibrated = CalibratedClassifierCV(svm, cv=calibration_folds, ensemble=False)
    return make_pipeline(features, calibrated)


@dataclass
class Scores:
    """Accuracy, macro-F1 and per-class precision/recall/F1 of predictions against labels."""

    accuracy: float
    macro_f1: float
    n: int
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def of(cls, labels: Sequence[str], predicted: Sequence[str]) -> Scores:
        from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

        classes = sorted(set(labels))
        precision, recall, f1, support = precision_recall_fscore_support(
            labels, predicted, labels=classes, zero_division=0
        )
        per_class = {
            name: {"precision": p, "recall": r, "f1": f, "support": int(s)}
            for name, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        }
        macro = f1_score(labels, predicted, labels=classes, average="macro", zero_division=0)
        return cls(accuracy_score(labels, predicted), macro, len(labels), per_class)

    def summary(self) -> dict[str, float | int]:
        return {"accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
                "n": self.n}  # fmt: skip


class TrainedClassifier:
    """A model trained on labelled messages (labels are theme codes)."""

    def __init__(self, pipeline: Any, version: str, meta: dict | None = None) -> None:
        self.pipeline = pipeline
        self.version = version
        self.meta = meta or {}

    @classmethod
    def train(
        cls, taxonomy: Taxonomy, texts: Sequence[str], labels: Sequence[str]
    ) -> TrainedClassifier:
        smallest = _smallest_class(labels)
        if smallest < 2:
            raise TooFewExamples("every theme among the labels needs at least 2 messages")
        pipeline = build_pipeline(taxonomy, min(3, smallest)).fit(list(texts), list(labels))
        digest = hashlib.sha256()
        for text, label in zip(texts, labels, strict=True):
            digest.update(f"{label}\t{text}\n".encode())
        digest.update(taxonomy.fingerprint.encode())
        digest.update(PIPELINE.encode())
        return cls(pipeline, f"svm@{digest.hexdigest()[:12]}", {"trained_on": len(texts)})

    def classify_texts(self, texts: Sequence[str], threshold: float = 0.0) -> list[Placement]:
        probabilities = self.pipeline.predict_proba(list(texts))
        classes = self.pipeline.classes_
        placements = []
        for row in probabilities:
            best = int(row.argmax())
            confidence = float(row[best])
            code = str(classes[best]) if confidence >= threshold else None
            placements.append(Placement(code, round(confidence, 4), self.version))
        return placements

    def classify(self, title: str | None, content: str | None) -> Placement:
        return self.classify_texts([message_text(title, content)])[0]

    def classify_many(self, messages: Sequence[tuple[str | None, str | None]]) -> list[Placement]:
        """Many at once: scikit-learn's cost per call is paid once."""
        return self.classify_texts([message_text(title, content) for title, content in messages])

    def save(self, folder: Path) -> None:
        """Write the model into ``folder`` (joblib: load only models this program wrote)."""
        import joblib
        import sklearn

        folder.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.pipeline, folder / "model.joblib")
        meta = {**self.meta, "version": self.version, "scikit_learn": sklearn.__version__}
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2))

    @classmethod
    def load(cls, folder: Path) -> TrainedClassifier:
        import joblib

        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        return cls(joblib.load(folder / "model.joblib"), meta["version"], meta)


def cross_validate(
    taxonomy: Taxonomy, texts: Sequence[str], labels: Sequence[str], folds: int = 5
) -> Scores:
    """Stratified k-fold cross-validated scores of a model trained like ``train`` does."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    smallest = _smallest_class(labels)
    folds = min(folds, smallest)
    left_in_training = smallest - -(-smallest // folds)  # the smallest theme, minus a fold
    if folds < 2 or left_in_training < 2:
        raise TooFewExamples("cross-validation needs at least 4 messages of every theme")
    splits = StratifiedKFold(folds, shuffle=True, random_state=0)
    pipeline = build_pipeline(taxonomy, min(3, left_in_training))
    predicted = cross_val_predict(pipeline, list(texts), list(labels), cv=splits)
    return Scores.of(list(labels), [str(p) for p in predicted])
