"""Templates: one text sent in answer to messages that are not alike (a department answering
everything with "留言已收悉"). Found across all replies: two replies are one text when their
skeletons (the names, numbers and punctuation taken out) share most of their three-character
shingles (MinHash, datasketch), and two messages are alike when theirs do (the same citizen
sending a matter twice gets the same answer twice: that is no template).

MinHash with locality-sensitive bands finds the candidates among any number of replies
without comparing each pair: replies sharing a band key are compared, others never. The
service keeps the band keys in the database; ``TemplateIndex`` keeps them in memory, for the
development set and the tests."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where signatures are made: a web process makes none
    import numpy as np

PERMUTATIONS = 64
BANDS, ROWS = 16, 4  # a pair at Jaccard 0.7 meets in a band 99% of the time; at 0.3, 12%
SEED = 7
#: Replies this alike are one text; messages this alike are one matter.
SAME_TEXT = 0.6
SAME_MATTER = 0.3

_QUOTED = re.compile(r"[“\"‘「][^”\"’」]{0,20}[”\"’」]")
_USER = re.compile(r"UU\d+|网友\d+")
_NUMBERS = re.compile(r"[\d０-９]+")
_NOT_CHINESE = re.compile(r"[^\u4e00-\u9fff0]")


def skeleton(text: str | None) -> str:
    """The text without what differs between two sendings of a template: the citizen's name,
    numbers and dates (0), punctuation and spaces."""
    text = _USER.sub("", _QUOTED.sub("", text or ""))
    return _NOT_CHINESE.sub("", _NUMBERS.sub("0", text))


def shingles(text: str, size: int = 3) -> set[str]:
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def signature(text: str | None) -> np.ndarray:
    """The MinHash signature of a text's skeleton (PERMUTATIONS values, 64-bit: as stored)."""
    import numpy as np
    from datasketch import MinHash

    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(skeleton(text))])
    return minhash.hashvalues.astype(np.uint64)


def band_keys(values: np.ndarray) -> list[str]:
    """One key per band: two signatures sharing a key are candidates."""
    return [
        f"{band}:" + hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(),
                                     digest_size=8).hexdigest()
        for band in range(BANDS)
    ]  # fmt: skip


def likeness(first: np.ndarray, second: np.ndarray) -> float:
    """The estimated Jaccard likeness of two signatures' texts."""
    return float((first == second).mean())


@dataclass
class Entry:
    key: int
    reply: np.ndarray
    message: np.ndarray
    empty: bool


@dataclass
class TemplateIndex:
    """Replies by band key, in memory."""

    entries: dict[int, Entry] = field(default_factory=dict)
    bands: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, key: int, message: str, reply: str) -> None:
        entry = Entry(key, signature(reply), signature(message), not skeleton(reply))
        self.entries[key] = entry
        for band in band_keys(entry.reply):
            self.bands[band].add(key)

    def twins(self, key: int) -> int:
        """How many other replies send this one's text to a matter unlike its message's."""
        entry = self.entries[key]
        if entry.empty:
            return 0
        candidates = set().union(*(self.bands.get(b, set()) for b in band_keys(entry.reply)))
        return count_twins(entry, (self.entries[k] for k in candidates if k != key))


def count_twins(entry: Entry, others: Iterable[Entry]) -> int:
    """Of ``others``, those whose reply is ``entry``'s text and whose message is another
    matter; messages alike among them count once."""
    matters: list[np.ndarray] = []
    for other in others:
        if other.empty or likeness(entry.reply, other.reply) < SAME_TEXT:
            continue
        if likeness(entry.message, other.message) >= SAME_MATTER:
            continue
        if any(likeness(other.message, seen) >= SAME_MATTER for seen in matters):
            continue
        matters.append(other.message)
    return len(matters)
