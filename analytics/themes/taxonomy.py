"""The taxonomy of themes: a tree of codes with names, keywords and the policy's 民生 "位"
they track, read from ``analytics/data/themes.json`` or the database's rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DEFAULT_TAXONOMY = Path(__file__).parents[1] / "data" / "themes.json"


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    parent_code: str | None = None
    keywords: tuple[str, ...] = ()
    livelihood: str | None = None  # the policy's 民生 "位" this theme tracks, if any


class Taxonomy:
    """Themes by code, with their tree."""

    def __init__(self, themes: Iterable[Theme]) -> None:
        self.themes = {theme.code: theme for theme in themes}
        self._by_name: dict[str, Theme] = {}
        for theme in self.canonical():
            self._by_name.setdefault(theme.name, theme)

    @classmethod
    def default(cls) -> Taxonomy:
        return cls.from_dicts(json.loads(DEFAULT_TAXONOMY.read_text("utf-8"))["themes"])

    @classmethod
    def from_dicts(cls, rows: Iterable[dict]) -> Taxonomy:
        return cls(
            Theme(
                row["code"],
                row["name"],
                row.get("parent") or row.get("parent_code"),
                tuple(row.get("keywords") or ()),
                row.get("livelihood"),
            )
            for row in rows
        )

    def get(self, code: str) -> Theme | None:
        return self.themes.get(code)

    def by_name(self, name: str) -> Theme | None:
        return self._by_name.get(name)

    def path(self, code: str) -> list[Theme]:
        """The theme and its ancestors, first level first."""
        chain = []
        theme = self.themes.get(code)
        while theme is not None:
            chain.append(theme)
            theme = self.themes.get(theme.parent_code) if theme.parent_code else None
        return chain[::-1]

    def canonical(self) -> list[Theme]:
        """The themes shallowest first, then by code: the order in which a keyword or a name
        that two themes share goes to one of them (the parent's 医生 before 医疗服务's). Rows
        come from the database in no set order, and a process must place a message as every
        other does with the same taxonomy (its fingerprint)."""
        return sorted(self.themes.values(), key=lambda t: (len(self.path(t.code)), t.code))

    def first_levels(self) -> list[Theme]:
        return [t for t in self.themes.values() if t.parent_code is None]

    def branch_of(self, code: str) -> str:
        return self.path(code)[0].code

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever a code, a parent or a keyword does: part of a rules version."""
        listed = sorted((t.code, t.parent_code or "", t.keywords) for t in self.themes.values())
        return hashlib.sha256(repr(listed).encode()).hexdigest()[:12]


def grow_tree(taxonomy: Taxonomy, paths: Iterable[Sequence[str]]) -> list[Theme]:
    """The themes to add so that ``taxonomy`` holds every path of names (first level first,
    as in a platform's 一级/二级/三级分类 sheet), parents before children. A name is found
    under its parent (a first-level one among the first levels); a new theme's code is its
    parent's plus a short digest of its name, stable from one run to the next."""
    children: dict[str | None, dict[str, str]] = {}
    for theme in taxonomy.themes.values():
        children.setdefault(theme.parent_code, {})[theme.name] = theme.code
    added = []
    for path in paths:
        parent = None
        for name in (str(part).strip() for part in path if part and str(part).strip()):
            code = children.setdefault(parent, {}).get(name)
            if code is None:
                digest = hashlib.sha256(name.encode()).hexdigest()[:6]
                code = f"{parent}.{digest}" if parent else f"t{digest}"
                added.append(Theme(code, name, parent))
                children[parent][name] = code
            parent = code
    return added
