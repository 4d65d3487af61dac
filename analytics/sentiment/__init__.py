"""Sentiment of citizens' texts: negative (负面), neutral (中性) or positive (正面).

The shipped model (``analytics/models/sentiment-ngrams/``, ``analytics.sentiment.ngrams``)
reads character n-grams and was trained on the province's own kind of text: real 问政
messages and short 好差评 comments labelled in three classes by two independent readings
(``analytics.sentiment.dev``), beside review corpora labelled in two. Neutral is a class it
predicts (a question, a request for information, a matter-of-fact suggestion), not a band
around 0.5: the label is the likeliest class. Rebuilt by ``make models``.

Every model gives each class a probability; a text's ``score`` is its positivity,
(1 + P(positive) - P(negative)) / 2, from 0 (surely negative) to 1 (surely positive), kept
for ranking and the hot index. A model of two classes (trained on reviews or on rated
comments alone) cannot tell neutral: its label comes from the score through the neutral band
(SENTIMENT_NEGATIVE_BELOW, SENTIMENT_POSITIVE_ABOVE).

The engine SnowNLP ships, its naive Bayes classifier (here fed by jieba, with negation
folded into the word it negates: 不 满意 -> 不满意), stays available for training
(``flask sentiment train --engine bayes``); BENCHMARKS.md compares the two.

>>> model = load_model()
>>> score_text("非常不满意，等了三个小时", model).label
'negative'
>>> score_text("请问身份证在哪里办理", model).label
'neutral'
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import math
import sys
import threading
import types
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.package_data import package_folder, snownlp_stop_words
from analytics.words import DICTIONARY_FILE, MODELS_DIR, SHIPPED_DICTIONARY, WORD, segmenter

if TYPE_CHECKING:
    from analytics.sentiment.ngrams import NgramSentiment

#: The model every process scores with unless another was trained and made active.
SHIPPED_MODEL = MODELS_DIR / "sentiment-ngrams"
#: SnowNLP's classifier on jieba tokens: the ``bayes`` engine's jieba dictionary lives here.
BAYES_MODEL = SHIPPED_DICTIONARY.parent
_CLASSIFIER_FILE = "bayes.marshal"  # SnowNLP's Bayes.save/load append ".3"
_META_FILE = "meta.json"

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"
UNSCORED = "none"

#: Words that flip the meaning of the word after them. Longest first, so 没有 wins over 没.
NEGATORS = (
    "没有",
    "不是",
    "不太",
    "不够",
    "毫无",
    "从不",
    "并不",
    "不",
    "没",
    "无",
    "未",
    "别",
    "非",
)
_NEGATOR_SET = frozenset(NEGATORS)
#: Degree words that may stand between a negator and its word (不太满意, 没那么好).
_DEGREE_WORDS = frozenset(("太", "很", "怎么", "那么", "这么", "是很", "大", "够", "算"))
#: Words of SnowNLP's stop list that do carry a judgement, and so are kept as evidence.
_JUDGEMENT_WORDS = frozenset(
    "一般 问题 没有 不够 不足 不能 不会 不要 不可 不如 不成 不过 严重 丰富 合理 容易 复杂 安全 "
    "完全 方便 明显 满足 良好 高兴 欢迎 积极 认真 迅速 及时 有效 有利 有力 正常 清楚 明确 彻底 "
    "失去 无法 根本 相信 真正 防止 避免 遭到 造成 重要 帮助".split()
)
#: Intensifiers, which SnowNLP's list lacks: they scale a judgement but have no polarity of
#: their own; in a shopping corpus 非常 leans positive, so 非常不满意 read milder than 不满意.
_INTENSIFIERS = frozenset("很 挺 太 特别 比较 十分 非常 极其 相当 更 最 真 超 好像".split())


@dataclass(frozen=True)
class Sentiment:
    """A text's score (probability of positive, 0–1) and label; ``score`` is None when the text
    holds no word the model knows, so that emoji, digits and empty comments get no fake 0.5."""

    score: float | None
    label: str
    model_version: str


def tokenize(text: str, dictionary: Path | None = None) -> list[str]:
    """Segment with jieba (with ``dictionary``, or jieba's default one) and fold each negator
    into the word it negates.

    >>> tokenize("服务非常不满意，没有问题")
    ['服务', '不满意', '没有问题']
    """
    tokens: list[str] = []
    pending_negation = ""
    for word in segmenter(dictionary).lcut(text):
        if word.startswith(("不太", "不够")) and len(word) > 2:
            word = "不" + word[2:]  # jieba keeps 不太好 whole: make it the 不好 it means
        if not WORD.search(word):
            pending_negation = ""
            continue
        if word in _NEGATOR_SET:
            pending_negation = word
            continue
        if pending_negation and word in _DEGREE_WORDS:
            continue
        if pending_negation:
            tokens.append(_negate(pending_negation, word))
            pending_negation = ""
        else:
            tokens.append(word)
    if pending_negation:
        tokens.append(pending_negation)
    stop = _stop_words()
    return [token for token in tokens if token not in stop]


@cache
def _stop_words() -> frozenset[str]:
    """SnowNLP's stop words, less those that carry a judgement, plus intensifiers."""
    return frozenset(snownlp_stop_words() - _JUDGEMENT_WORDS | _INTENSIFIERS)


def _negate(negator: str, word: str) -> str:
    # 没有问题 and 没问题 mean the same; so do 不太好 and 不好: one token each, so that the
    # classifier pools their counts.
    if negator in ("没", "没有"):
        return "没有" + word
    return (
        "不" + word if negator in ("不", "不太", "不够", "不是", "并不", "从不") else negator + word
    )


def _snownlp_bayes() -> type:
    """SnowNLP's ``Bayes`` class, without running ``snownlp/__init__.py``.

    That ``__init__`` imports SnowNLP's segmenter, tagger and models: 2.4 s and 360 MB per
    process for code this path never calls. The classifier module only needs
    ``snownlp.utils``, so the package is entered through a bare module object and the entries
    are removed again afterwards, leaving a later plain ``import snownlp`` unaffected.
    """
    folder = package_folder("snownlp")
    if "snownlp" in sys.modules:  # the real package is already loaded: use it
        from snownlp.classification.bayes import Bayes

        return Bayes
    package = types.ModuleType("snownlp")
    package.__path__ = [str(folder)]
    before = set(sys.modules)
    sys.modules["snownlp"] = package
    try:
        bayes_module = importlib.import_module("snownlp.classification.bayes")
    finally:
        for name in set(sys.modules) - before:
            if name == "snownlp" or name.startswith("snownlp."):
                del sys.modules[name]
    return bayes_module.Bayes


class SentimentModel:
    """SnowNLP's naive Bayes over :func:`tokenize`'s tokens (the ``bayes`` engine), of two
    classes or three, with the jieba dictionary it was trained with (None: jieba's default)."""

    engine = "bayes"

    def __init__(self, classifier: object, dictionary: Path | None, version: str) -> None:
        self._classifier = classifier
        self.dictionary = dictionary
        self.version = version
        self.vocabulary = frozenset().union(*(prob.d for prob in classifier.d.values()))

    @classmethod
    def load(cls, folder: Path = BAYES_MODEL) -> SentimentModel:
        classifier = _snownlp_bayes()()
        classifier.load(str(folder / _CLASSIFIER_FILE))
        dictionary = folder / DICTIONARY_FILE
        # The version hashes the content: gzip stamps a time into the file, so a rebuild of
        # the same model would otherwise look like a new one.
        digest = hashlib.sha256(gzip.decompress((folder / f"{_CLASSIFIER_FILE}.3").read_bytes()))
        digest.update(dictionary.read_bytes())
        meta = folder / _META_FILE  # a trained model's, naming the data it learnt from
        version = json.loads(meta.read_text("utf-8"))["version"] if meta.exists() else None
        return cls(classifier, dictionary, version or f"{folder.name}@{digest.hexdigest()[:12]}")

    @classmethod
    def train(
        cls, texts: Iterable[str], labels: Iterable[str], dictionary: Path | None = None
    ) -> SentimentModel:
        """Fit on ``texts`` and their class ``labels`` (negative, neutral, positive); the
        version hashes the data."""
        classifier = _snownlp_bayes()()
        digest = hashlib.sha256(cls.engine.encode())
        data = []
        for text, label in zip(texts, labels, strict=True):
            data.append([tokenize(text, dictionary), label])
            digest.update(f"{label}\t{text}\n".encode())
        classifier.train(data)
        return cls(classifier, dictionary, f"{cls.engine}@{digest.hexdigest()[:12]}")

    def save(self, folder: Path) -> None:
        """Write the classifier and its dictionary into ``folder``."""
        if self.dictionary is None:
            raise ValueError("save a model trained with its own dictionary")
        folder.mkdir(parents=True, exist_ok=True)
        self._classifier.save(str(folder / _CLASSIFIER_FILE))
        if self.dictionary.resolve() != (folder / DICTIONARY_FILE).resolve():
            (folder / DICTIONARY_FILE).write_bytes(self.dictionary.read_bytes())
        meta = {"engine": self.engine, "version": self.version, "classes": list(self.classes)}
        (folder / _META_FILE).write_text(json.dumps(meta, indent=2) + "\n", "utf-8")

    def __getstate__(self) -> dict:
        """For another process (the import's scoring pool): the classifier as the plain data
        SnowNLP's ``Bayes.save`` writes, since its class, entered through a bare package (see
        ``_snownlp_bayes``), cannot be pickled by reference."""
        classifier = self._classifier
        counts = {label: vars(prob) for label, prob in classifier.d.items()}
        return {"classifier": {"total": classifier.total, "d": counts},
                "dictionary": self.dictionary, "version": self.version}  # fmt: skip

    def __setstate__(self, state: dict) -> None:
        classifier = _snownlp_bayes()()
        probability = classifier.load.__globals__["AddOneProb"]  # what Bayes.load builds
        classifier.total = state["classifier"]["total"]
        for label, counts in state["classifier"]["d"].items():
            classifier.d[label] = probability()
            vars(classifier.d[label]).update(counts)
        self.__init__(classifier, state["dictionary"], state["version"])

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(sorted(_CLASS_NAMES.get(label, label) for label in self._classifier.d))

    def probabilities(self, text: str) -> dict[str, float] | None:
        """Each class's probability, or None when no token of the text is in the vocabulary.
        (SnowNLP's ``classify`` gives the likeliest class alone; this is its sum, for all.)"""
        tokens = [t for t in tokenize(text, self.dictionary) if t in self.vocabulary]
        if not tokens:
            return None
        counts = self._classifier.d
        total = math.log(self._classifier.total)
        logs = {
            label: math.log(prob.getsum()) - total + sum(math.log(prob.freq(t)) for t in tokens)
            for label, prob in counts.items()
        }
        top = max(logs.values())
        weights = {label: math.exp(value - top) for label, value in logs.items()}
        whole = sum(weights.values())
        return {_CLASS_NAMES.get(label, label): w / whole for label, w in weights.items()}


#: The class names SnowNLP's own corpus uses, as this module names them.
_CLASS_NAMES = {"neg": NEGATIVE, "pos": POSITIVE}


_load_lock = threading.Lock()


@cache
def _cached_model() -> NgramSentiment:
    from analytics.sentiment.ngrams import NgramSentiment  # numpy: only where texts are scored

    return NgramSentiment.load(SHIPPED_MODEL)


def load_model() -> NgramSentiment:
    """The shipped model, loaded once per process on first use (never at import time)."""
    with _load_lock:
        return _cached_model()


def label_for(score: float | None, negative_below: float = 0.4, positive_above: float = 0.6) -> str:
    """Map a score to a label with a neutral band between the two bounds (both settings)."""
    if score is None:
        return UNSCORED
    if score < negative_below:
        return NEGATIVE
    if score > positive_above:
        return POSITIVE
    return NEUTRAL


def score_text(
    text: str | None,
    model: NgramSentiment | SentimentModel | None = None,
    *,
    negative_below: float = 0.4,
    positive_above: float = 0.6,
) -> Sentiment:
    """Score one text: its positivity and its label, the likeliest class of a model of three
    (the band's for a model of two). Empty, emoji-only or digit-only text gets
    ``score=None``, label ``none``.

    >>> score_text("一次办成，点赞").label, score_text("😀 123").label
    ('positive', 'none')
    """
    model = model or load_model()
    probabilities = model.probabilities(text) if text and text.strip() else None
    if probabilities is None:
        return Sentiment(None, UNSCORED, model.version)
    score = round((1 + probabilities.get(POSITIVE, 0) - probabilities.get(NEGATIVE, 0)) / 2, 4)
    if NEUTRAL in probabilities:
        label = max(probabilities, key=probabilities.__getitem__)
    else:
        label = label_for(score, negative_below, positive_above)
    return Sentiment(score, label, model.version)


def message_text(title: str | None, content: str | None) -> str:
    """What sentiment reads of a message: its title and its text, as one; the same in the
    service, the development set and training.

    >>> message_text(" 停车难 ", "小区没有车位"), message_text("请问", None)
    ('停车难。小区没有车位', '请问')
    """
    return "。".join(part.strip() for part in (title or "", content or "") if part.strip())


def rating_label(stars: int, text_label: str) -> str:
    """The label of a 好差评 rating: the stars are the citizen's verdict, the text refines it.

    1–2 stars (差评) are negative and 4–5 positive whatever the comment says: a 1-star "还行" is
    a bad rating, and a comment that contradicts its stars is a matter for review, not for
    relabelling. 3 stars (基本满意) take the comment's label, or neutral without one.

    >>> rating_label(1, "positive"), rating_label(3, "negative"), rating_label(3, "none")
    ('negative', 'negative', 'neutral')
    """
    if stars <= 2:
        return NEGATIVE
    if stars >= 4:
        return POSITIVE
    return text_label if text_label != UNSCORED else NEUTRAL
