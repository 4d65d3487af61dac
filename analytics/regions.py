"""Jiangxi's administrative divisions and finding them in free text.

The divisions are our own data (``analytics.divisions``: current Ministry of Civil Affairs
codes, 红谷滩区 360113, 柴桑区 360404, 赣县区 360704). Messages often name their place only in
the text ("南昌市红谷滩区某小区…"); :class:`RegionMatcher` finds the most specific place
named.

>>> matcher = RegionMatcher(jiangxi_divisions())
>>> matcher.find("南昌市红谷滩区某小区门口积水").code
'360113'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analytics.divisions import (
    CITY,
    COUNTY,
    PROVINCE,
    PROVINCE_CODE,
    Division,
    jiangxi_divisions,
)
from analytics.package_data import jieba_dictionary

__all__ = [
    "CITY", "COUNTY", "PROVINCE", "PROVINCE_CODE", "Division", "Lexicon", "RegionMatch",
    "RegionMatcher", "jiangxi_divisions",
]  # fmt: skip

#: What a place's name cannot span (punctuation, spaces): the stretch of text between two of
#: them holds every place name that a region's name in it may lie in.
_BREAK = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
#: Kinds of place that take the name of the region they serve: 井冈山大学 and 瑞金站 are in
#: their county, where a road, a village or a lake that takes a region's name may lie anywhere
#: (南昌's 井冈山大道, 鄱阳湖 across several counties).
_SERVE_THEIR_REGION = (
    "学校", "小学", "中学", "大学", "学院", "幼儿园", "医院", "卫生院", "站", "景区", "园区",
    "工业园", "产业园",
)  # fmt: skip


@dataclass(frozen=True)
class RegionMatch:
    """The region found in a text, and the words that named it."""

    code: str
    level: str
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """What a general dictionary says about the short names, so that words are not read as
    places. ``common`` short names are also ordinary words (新建 "newly built", 万年, 莲花, 上高)
    or name places elsewhere (东湖, 西湖). ``pairs`` are two-character words, with their
    frequencies, that a two-character short name could straddle with its neighbour: in 新干部 the
    words are 新 and 干部, not 新干 (a county) and 部."""

    common: frozenset[str]
    frequency: dict[str, int]
    pairs: dict[str, int]

    def straddles(self, name: str, before: str, after: str) -> bool:
        """Whether ``before + name + after`` reads better as a word across the name's edge:
        that word is at least three times as frequent as the name (干部 9,717 against 新干's
        nothing; 金人 3 against 瑞金 134 is not)."""
        if len(name) != 2:
            return False  # 井冈山, 红谷滩, 共青城: long enough to be what they say
        floor = 3 * max(self.frequency.get(name, 0), 10)
        return any(self.pairs.get(pair, 0) >= floor for pair in (before + name[0], name[1] + after))

    @classmethod
    def from_jieba(
        cls, short_names: Iterable[str], word_frequency: int = 50, place_frequency: int = 500
    ) -> Lexicon:
        """From jieba's dictionary: a name is common when jieba has seen it at least
        ``word_frequency`` times as anything but a place name (tag ``ns``: 上高 97 as a verb,
        万年 1,077), or at least ``place_frequency`` times as a place name (东湖 1,866, 新建
        1,000; 瑞金 134 is not). Rarer tags are noise: jieba tags 都昌 (4) as a person."""
        names = set(short_names)
        firsts = {n[0] for n in names if len(n) == 2}
        lasts = {n[-1] for n in names if len(n) == 2}
        common, counts, pairs = set(), {}, {}
        for word, count, tag in jieba_dictionary():
            if word in names:
                counts[word] = count
                if count >= word_frequency and (tag != "ns" or count >= place_frequency):
                    common.add(word)
            if len(word) == 2 and (word[0] in lasts or word[1] in firsts):
                pairs[word] = count
        return cls(frozenset(common), counts, pairs)


class RegionMatcher:
    """Finds the most specific Jiangxi division named in a text.

    All names are matched longest-first, so 南昌县 is not read as 南昌. A short name that is also
    a common word is not searched (only its full name is), and a short name that would straddle
    a word with its neighbour is not a mention (see :class:`Lexicon`). Nor is a county's short
    name that lies in a longer place's name (see :meth:`_in_a_place_name`): 南城 in the compound
    丽发新城南城, 石城 in the road 石城大道. Ranking: a county named in full, or by short name
    beside its own city; then a city; then a county named only by a short name; then the
    province. A county under a city other than the one named is not guessed at.
    """

    def __init__(self, divisions: Iterable[Division], lexicon: Lexicon | None = None) -> None:
        self._by_code = {d.code: d for d in divisions}
        shorts = [d.short_name for d in self._by_code.values() if d.level == COUNTY]
        self._lexicon = lexicon or Lexicon.from_jieba(shorts)
        self._names: dict[str, tuple[str, bool]] = {}
        for division in self._by_code.values():
            self._names.setdefault(division.name, (division.code, True))
            if division.level != COUNTY or division.short_name not in self._lexicon.common:
                self._names.setdefault(division.short_name, (division.code, False))
        alternatives = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives)))

    def find(self, text: str) -> RegionMatch | None:
        """The most specific division named in ``text``, or None when it names none."""
        text = text or ""
        mentions: dict[str, list[str]] = {}
        in_full: set[str] = set()
        for found in self._pattern.finditer(text):
            code, is_full = self._names[found.group()]
            before, after = (
                text[found.start() - 1 : found.start()],
                text[found.end() : found.end() + 1],
            )
            if not is_full and (
                self._lexicon.straddles(found.group(), before, after)
                or self._in_a_place_name(text, found.start(), found.end(), code)
            ):
                continue
            mentions.setdefault(code, []).append(found.group())
            if is_full:
                in_full.add(code)
        cities = {code for code in mentions if self._by_code[code].level == CITY}

        def rank(code: str) -> int:
            division = self._by_code[code]
            if division.level == CITY:
                return 2
            if division.level == PROVINCE:
                return 0
            if division.parent_code in cities or (code in in_full and not cities):
                return 3
            return 1 if not cities else -1  # a bare short name, or a county of another city

        if not mentions:
            return None
        best = max(mentions, key=rank)  # max keeps the first named among equals
        if rank(best) < 0:
            return None
        return RegionMatch(best, self._by_code[best].level, tuple(mentions[best]))

    def _in_a_place_name(self, text: str, start: int, end: int, code: str) -> bool:
        """Whether the county's short name at ``text[start:end]`` is part of a longer place's
        name that ``analytics.places.place_names`` reads around it, and so names no county:
        inside it (丽发新城南城, a compound; 楚龙南塘路, a road), or before kinds of place alone
        (石城大道, 寻乌村, 鄱阳湖: named after the county, they may lie anywhere). A name that
        goes on after the county's (瑞金人民医院, 南城丽发新城) or a kind of place that serves
        its county (井冈山大学, 瑞金站) is in the county; so is a short name right after its own
        city's (赣州石城大道). A city's short name is left as it was: 南昌大学, 赣州东湖区 and
        赣州东湖小区 are in their city. Only a text with a county's short name pays for reading
        places."""
        county = self._by_code[code]
        parent = self._by_code.get(county.parent_code or "")
        if county.level != COUNTY or (
            parent and text.endswith((parent.name, parent.short_name), 0, start)
        ):
            return False
        from analytics.places import only_kinds, place_names  # jieba's segmenter, on first use

        first = max((b.end() for b in _BREAK.finditer(text, 0, start)), default=0)
        last = _BREAK.search(text, end)
        stretch = text[first : last.start() if last else len(text)]
        i, j = start - first, end - first  # the short name in the stretch
        for name in place_names(stretch):
            if len(name) <= j - i:
                continue
            for at in range(max(0, j - len(name)), i + 1):
                if not stretch.startswith(name, at):
                    continue
                if at < i:
                    return True  # 丽发新城南城
                rest = name[j - i :]
                if only_kinds(rest) and not rest.endswith(_SERVE_THEIR_REGION):
                    return True  # 石城大道
        return False
