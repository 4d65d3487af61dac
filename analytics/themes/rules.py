"""Keyword rules: they place a message with no training data at all, and carry a trained
model's answer down to the deepest theme its keywords support."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analytics.themes.taxonomy import Taxonomy

if TYPE_CHECKING:
    from analytics.themes.model import TrainedClassifier

#: How many times a title counts against its message's text: titles name the matter.
TITLE_WEIGHT = 2


@dataclass(frozen=True)
class Placement:
    """Where a message was placed: ``code`` None when nothing was confident enough."""

    code: str | None
    confidence: float
    model: str


def message_text(title: str | None, content: str | None) -> str:
    return " ".join([(title or "").strip()] * TITLE_WEIGHT + [(content or "").strip()])


class KeywordMatcher:
    """Finds the taxonomy's keywords in a text, longest first (停车位 before 停车)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        owners: dict[str, str] = {}
        for theme in taxonomy.canonical():
            for keyword in theme.keywords:
                owners.setdefault(keyword, theme.code)
        self.owners = owners
        ordered = sorted(owners, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def hits(self, text: str) -> dict[str, int]:
        """Keyword hits per theme code."""
        counts: dict[str, int] = {}
        if self.pattern is not None:
            for match in self.pattern.finditer(text):
                code = self.owners[match.group()]
                counts[code] = counts.get(code, 0) + 1
        return counts


class RuleClassifier:
    """Keyword rules over the taxonomy: a message goes to the first-level branch whose
    keywords it names most, and within it to the theme named most (deeper wins a tie).
    Confidence = the branch's hits / (all hits + 1): one stray keyword is not a verdict."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.matcher = KeywordMatcher(taxonomy)
        self.version = f"rules@{taxonomy.fingerprint}"

    def classify(self, title: str | None, content: str | None) -> Placement:
        hits = self.matcher.hits(message_text(title, content))
        if not hits:
            return Placement(None, 0.0, self.version)
        branches: dict[str, int] = {}
        for code, count in hits.items():
            branch = self.taxonomy.branch_of(code)
            branches[branch] = branches.get(branch, 0) + count
        branch, score = max(branches.items(), key=lambda item: item[1])
        inside = [(count, len(self.taxonomy.path(code)), code) for code, count in hits.items()
                  if self.taxonomy.branch_of(code) == branch]  # fmt: skip
        code = max(inside)[2]
        return Placement(code, score / (sum(branches.values()) + 1), self.version)

    def classify_many(self, messages: Sequence[tuple[str | None, str | None]]) -> list[Placement]:
        return [self.classify(title, content) for title, content in messages]

    def refine(self, code: str, text: str) -> str:
        """The deepest theme below ``code`` whose keywords ``text`` names (the most named; the
        deeper on a tie), else ``code``: a model's first-level answer keeps what the rules
        know of the levels under it."""
        depth = len(self.taxonomy.path(code))
        below = [
            (len(path), count, found)
            for found, count in self.matcher.hits(text).items()
            if len(path := self.taxonomy.path(found)) > depth and path[depth - 1].code == code
        ]
        if not below:
            return code
        deepest = max(length for length, _, _ in below)
        return max((count, found) for length, count, found in below if length == deepest)[1]


class Refined:
    """A trained model whose answers the keyword rules carry down to the deepest theme they
    support under it (``RuleClassifier.refine``). Its version names both."""

    def __init__(self, model: TrainedClassifier, rules: RuleClassifier) -> None:
        self.model = model
        self.rules = rules
        self.version = f"{model.version}+{rules.version}"

    def classify_many(self, messages: Sequence[tuple[str | None, str | None]]) -> list[Placement]:
        placed = self.model.classify_many(messages)
        return [
            Placement(
                self.rules.refine(placement.code, message_text(title, content)),
                placement.confidence,
                self.version,
            )
            if placement.code
            else Placement(None, placement.confidence, self.version)
            for placement, (title, content) in zip(placed, messages, strict=True)
        ]

    def classify(self, title: str | None, content: str | None) -> Placement:
        return self.classify_many([(title, content)])[0]
