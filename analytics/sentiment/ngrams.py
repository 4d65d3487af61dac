"""The three-class sentiment engine: character n-grams, TF-IDF and multinomial logistic
regression, trained with scikit-learn and scored without it.

Why characters: citizens' messages are long, colloquial and full of place and company names
that no segmenter knows; character 1-3-grams need no dictionary, read 不满意 and 不太方便 as
what they are, and cost no jieba in the scoring process. Why scored without scikit-learn:
the trained model is only a vocabulary, an IDF weight per n-gram and a weight per n-gram and
class, so scoring a text is a count, a dot product and a softmax in numpy, a few tens of
microseconds, and a process that scores loads no scikit-learn (60 MB, 1 s).

The classes are whatever the training labels hold: negative, neutral and positive for the
province's messages, or just negative and positive for review corpora and rated comments.

>>> model = NgramSentiment.train(
...     ["太差了，没人管", "非常满意，谢谢", "请问在哪办", "态度差，不满意", "点赞", "请问几点"],
...     ["negative", "positive", "neutral", "negative", "positive", "neutral"],
... )
>>> model.classes
('negative', 'neutral', 'positive')
>>> max(model.probabilities("请问在哪里办"), key=model.probabilities("请问在哪里办").get)
'neutral'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analytics.words import WORD

#: The n-gram lengths read.
NGRAMS = (1, 2, 3)
#: What a model keeps at most: the commonest n-grams seen in at least two texts.
MAX_FEATURES = 200_000
#: Texts longer than this are read up to here: a message's attitude is in its opening, and
#: the rest only costs time.
MAX_CHARS = 1_000
#: From how many texts on an n-gram must be seen twice to be kept (a handful of texts keep
#: all theirs).
MIN_DF_FROM = 100
_ARRAYS = "model.npz"
_META = "meta.json"
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """The text as the model reads it: NFKC (full-width to half-width), lower case, one space
    for any run of white space, every number as 0 (an amount or a date says nothing of
    attitude), cut at MAX_CHARS.

    >>> normalise("等了３个小时\\n\\t  ABC")
    '等了0个小时 abc'
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return _DIGITS.sub("0", _SPACE.sub(" ", text)).strip()[:MAX_CHARS]


def ngrams(text: str) -> Counter:
    """The character n-grams of a normalised text, counted."""
    grams: Counter = Counter()
    for n in NGRAMS:
        grams.update(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


class NgramSentiment:
    """A trained model: ``grams[i]`` is an n-gram, ``weights[i]`` its weight for each class
    (a column a class) and ``idf[i]`` its IDF; ``probabilities(text)`` gives each class's
    probability.

    The n-grams are kept sorted in one array and found by binary search, not in a dict: a dict
    of 200,000 short strings took 27 MB in every process that scores (a web worker in inline
    mode among them), the array takes 2.4, and a text's n-grams are looked up in one call."""

    engine = "ngrams"

    def __init__(
        self,
        classes: Sequence[str],
        grams: np.ndarray,
        idf: np.ndarray,
        weights: np.ndarray,
        intercept: np.ndarray,
        version: str,
    ) -> None:
        """``grams[i]`` is the n-gram of ``idf[i]`` and ``weights[i]``, in any order."""
        order = np.argsort(grams, kind="stable")
        self.classes = tuple(classes)
        self.grams = grams.astype(f"<U{max(NGRAMS)}")[order]
        self.idf = idf.astype(np.float32)[order]
        self.weights = weights.astype(np.float32)[order]
        self.intercept = intercept.astype(np.float32)
        self.version = version

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        weights: Sequence[float] | None = None,
        *,
        regularisation: float = 10.0,
    ) -> NgramSentiment:
        """Fit on ``texts`` and their ``labels`` (each text may weigh ``weights``: a corpus of
        another domain counts for less). The version hashes the data and the settings."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError("training needs texts of at least two classes")
        vectoriser = TfidfVectorizer(
            analyzer=lambda text: list(ngrams(normalise(text)).elements()),
            min_df=2 if len(texts) >= MIN_DF_FROM else 1,
            max_features=MAX_FEATURES,
            sublinear_tf=True,
            dtype=np.float32,
        )
        matrix = vectoriser.fit_transform(texts)
        classifier = LogisticRegression(C=regularisation, max_iter=3000)
        classifier.fit(matrix, list(labels), sample_weight=weights)
        coefficients, intercept = classifier.coef_, classifier.intercept_
        if len(classes) == 2:  # scikit-learn keeps one column for two classes: make it two
            coefficients = np.vstack([-coefficients[0] / 2, coefficients[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        grams = np.empty(len(vectoriser.vocabulary_), dtype=f"<U{max(NGRAMS)}")
        for gram, i in vectoriser.vocabulary_.items():
            grams[i] = gram
        digest = hashlib.sha256(f"{cls.engine} C={regularisation}".encode())
        for text, label, weight in zip(texts, labels, weights or [1.0] * len(texts), strict=True):
            digest.update(f"{label}\t{weight}\t{text}\n".encode())
        return cls(
            [str(c) for c in classifier.classes_],
            grams,
            vectoriser.idf_,
            coefficients.T,
            intercept,
            f"{cls.engine}@{digest.hexdigest()[:12]}",
        )

    def probabilities(self, text: str) -> dict[str, float] | None:
        """Each class's probability, or None for a text without a word (emoji, digits,
        punctuation) or without an n-gram the model knows."""
        if not text or not WORD.search(text):
            return None
        counts = ngrams(normalise(text))
        asked = np.array(list(counts), dtype=self.grams.dtype)
        index = np.searchsorted(self.grams, asked).clip(max=len(self.grams) - 1)
        known = self.grams[index] == asked
        if not known.any():
            return None
        index = index[known]
        seen = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))[known]
        values = (1.0 + np.log(seen)) * self.idf[index]
        values /= np.linalg.norm(values)
        logits = values @ self.weights[index] + self.intercept
        exp = np.exp(logits - logits.max())
        exp /= exp.sum()
        return {label: float(p) for label, p in zip(self.classes, exp, strict=True)}

    def save(self, folder: Path) -> None:
        """Write the model into ``folder``: arrays in an ``.npz`` (no pickle), n-grams in
        vocabulary order among them."""
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / _ARRAYS,
            grams=self.grams,
            idf=self.idf,
            weights=self.weights,
            intercept=self.intercept,
        )
        meta = {"engine": self.engine, "version": self.version, "classes": list(self.classes)}
        (folder / _META).write_text(json.dumps(meta, indent=2) + "\n", "utf-8")

    @classmethod
    def load(cls, folder: Path) -> NgramSentiment:
        meta = json.loads((folder / _META).read_text("utf-8"))
        with np.load(folder / _ARRAYS, allow_pickle=False) as arrays:
            return cls(
                meta["classes"],
                arrays["grams"],
                arrays["idf"],
                arrays["weights"],
                arrays["intercept"],
                meta["version"],
            )
