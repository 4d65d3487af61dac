"""Repeats (重复件): one citizen sending the same matter again. Two messages of one citizen are
the same matter when their titles and texts are at least ``similar`` alike: the cosine of
their character-bigram counts (one citizen words a matter alike each time, so no corpus-wide
weighting is needed, and the test costs microseconds at intake).

>>> same_matter_score("小区门口路灯坏了一个月", "再次反映：小区门口路灯坏了一个多月没人修") > 0.5
True
>>> same_matter_score("小区门口路灯坏了", "孩子入学需要哪些材料") < 0.2
True
"""

from __future__ import annotations

import math
import re
from collections import Counter

_SEPARATOR = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
#: What is compared: the title and the start of the text, where the matter is stated.
HEAD = 300


def bigrams(text: str) -> Counter:
    """The character bigrams of ``text``, across no punctuation, and none of two digits: the
    citizen's own phone number, written in both, makes two matters no more alike."""
    grams: Counter = Counter()
    for part in _SEPARATOR.split(text[:HEAD]):
        pairs = (part[i : i + 2] for i in range(len(part) - 1))
        grams.update(pair for pair in pairs if not pair.isdigit())
    return grams


def same_matter_score(first: str, second: str) -> float:
    """How alike two messages' texts are, from 0 to 1."""
    a, b = bigrams(first), bigrams(second)
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0
