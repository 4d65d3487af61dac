"""Hot issues (热点问题): many citizens raising the same problem about the same place within a
time window. Not themes (a theme is a kind of problem, anywhere) and not repeats (one citizen
sending the same matter again): a hot issue needs several citizens and one place.

How a group is found, exactly:
- Each message is read as its title (twice: titles name the matter) and the start of its text,
  cut into character 2- and 3-grams, weighted by TF-IDF over the messages being searched;
  messages are compared by cosine similarity, and only within one partition (the caller's: a
  city) and when sent at most ``link_days`` apart.
- Two messages are linked when they name a place in common (a compound, road, school, company,
  village… see ``analytics.places.PLACE_SUFFIXES``) and are at least ``same_place`` similar,
  or when they are at least ``similar`` similar and do not name different places. Links are
  taken strongest first, and one never joins two groups that name different places: a
  message naming no place, alike to two neighbours' complaints about two compounds, does not
  make them one. Two names are the same place when one holds the other (翠湖苑 and
  翠湖苑小区). Nor does a link join groups about two different counties (each county has its
  人民广场); a message with a city's code may be about any of its counties.
- A place is what ``analytics.places.place_names`` reads by its kind (小区, 路, 学校…; the
  words before it that only a sentence holds, such as verbs and pronouns, cut off by the
  dictionary), and a bare name the search's own messages teach: one that at least two
  citizens put where a place goes (在五矿万境, 五矿万境业主), not a phrase of common words
  (``analytics.places.learned_names``).
- Then groups that name a place in common are joined when, taken together, their messages
  are about one problem (the cosine of their summed vectors at least ``same_problem``) and
  they ran at most ``link_days`` apart: one problem at one place, worded two ways, is one
  issue (``_merge_same_place``).
- An issue is a chain: each of its messages at most ``link_days`` from the next. When an
  issue goes quiet for longer, what comes after is a new wave and a new hot issue, whose
  ``previous`` counts the earlier wave where it falls in the previous window.
- A message with no such gram (a title ``?`` and a text ``1``: punctuation, emoji, digits or
  spaces alone) has nothing to compare: it joins no group and is no hot issue on its own.
- A group is a hot issue when its messages in the window come from at least ``min_citizens``
  different citizens, or when they drew at least ``min_likes`` supporters (点赞数: a message
  that hundreds stood behind is a hot issue on its own).

The hot index, exactly:
    index = (citizens + ln(1 + likes)) × (1 + negative_share) × (1 + growth)
where citizens are the distinct citizens in the window, likes the supporters the platform
counted (点赞数, where the data has them), negative_share the share of its messages in the
window whose sentiment reads negative, and growth = (messages in the window − messages in the
previous window of the same length) / max(that previous count, 1), kept between 0 and 1.

>>> from datetime import datetime, timedelta
>>> t = datetime(2026, 3, 1)
>>> docs = [Doc(i, "景湖花园小区门口垃圾站臭气熏天", "", t + timedelta(days=i), f"c{i}", "360100")
...         for i in range(3)]
>>> [issue.place for issue in find_hot_issues(docs, t)]
['景湖花园小区']
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from analytics.hot_issues.likeness import MOST_SHARE, close_pairs, gram_ids, vectors_of
from analytics.places import learned_names, place_names, same_place

_TEXT_HEAD = 150  # characters of the text read after the title: the matter is stated early


@dataclass(frozen=True)
class Doc:
    """One message as the search reads it. ``citizen`` tells citizens apart (a reference or a
    contact; a message with neither is its own citizen); ``partition`` bounds comparisons."""

    id: int
    title: str
    text: str
    at: datetime
    citizen: str
    partition: str
    region: str | None = None
    likes: int = 0
    negative: bool = False


@dataclass(frozen=True)
class Rules:
    """The settings of the search (``HOT_ISSUE_*`` in the service's config)."""

    link_days: float = 30
    same_place: float = 0.2
    similar: float = 0.45
    same_problem: float = 0.15
    min_citizens: int = 2
    min_likes: int = 20


@dataclass
class HotIssue:
    place: str | None
    description: str
    region: str | None
    first_at: datetime
    last_at: datetime
    message_ids: list[int]
    citizens: int
    likes: int
    previous: int
    negative_share: float
    growth: float
    index: float = field(init=False)

    def __post_init__(self) -> None:
        self.index = round(
            (self.citizens + math.log1p(self.likes))
            * (1 + self.negative_share)
            * (1 + self.growth),
            3,
        )


def find_hot_issues(docs: Sequence[Doc], start: datetime, rules: Rules = Rules()) -> list[HotIssue]:
    """The hot issues of the window from ``start`` to the last doc, ranked by index; docs
    before ``start`` are the previous window (they link groups and measure growth, but a group
    with nothing in the window is no hot issue of it)."""
    by_partition: defaultdict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_partition[doc.partition].append(doc)
    issues = []
    for members in by_partition.values():
        issues.extend(_issues_of(sorted(members, key=lambda d: d.at), start, rules))
    return sorted(issues, key=lambda i: (-i.index, -len(i.message_ids), i.message_ids[0]))


def group_docs(docs: Sequence[Doc], rules: Rules = Rules()) -> list[list[int]]:
    """Every group the search forms (hot or not, one doc alone too), as doc ids: what a
    development set of hand-grouped messages is measured against."""
    by_partition: defaultdict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_partition[doc.partition].append(doc)
    found = []
    for members in by_partition.values():
        grouped = _grouped(sorted(members, key=lambda d: d.at), rules)
        if grouped is not None:
            worded, _, _, rows = grouped
            found.extend([worded[i].id for i in group] for group in rows)
    return found


def _grouped(docs: list[Doc], rules: Rules):
    """One partition's docs (oldest first) in groups: the docs that have grams, their vectors,
    their places and the groups as row numbers. None when no doc has a gram (a title ``?``
    and a text ``1``; punctuation, emoji, digits or spaces alone): such a doc says nothing to
    compare or to describe an issue by, and takes part in no group."""
    grams = [gram_ids(doc.title, doc.text[:_TEXT_HEAD]) for doc in docs]
    worded = [i for i, (ids, _) in enumerate(grams) if len(ids)]
    if not worded:
        return None
    docs, grams = [docs[i] for i in worded], [grams[i] for i in worded]
    vectors = vectors_of(grams)
    places = _Places(docs)
    groups = _Groups(places)
    for i, j, similarity in close_pairs(vectors, docs, rules):
        if groups.together(i, j):
            continue
        named_i, named_j = places.named(i), places.named(j)
        if (similarity >= rules.same_place and named_i & named_j) or (
            similarity >= rules.similar and same_place(named_i, named_j)
        ):
            groups.join(i, j)
    _merge_same_place(groups, vectors, rules)
    return docs, vectors, places, groups.groups()


def _merge_same_place(groups: _Groups, vectors, rules: Rules) -> None:
    """Join the groups that name a place in common and are about one problem: their
    messages, taken together, are at least ``rules.same_problem`` alike (the cosine of the
    groups' summed vectors), and their spans lie at most ``rules.link_days`` apart (the chain
    of one issue goes on). Two complaints about one plant worded two ways fall into two
    groups message by message; as groups they meet. Groups about different places are never
    joined (``_Groups.join`` refuses)."""
    from scipy.sparse import csr_matrix

    members = groups.groups()
    if len(members) < 2:
        return
    rows = np.concatenate([np.full(len(m), n) for n, m in enumerate(members)])
    columns = np.concatenate(members)
    belongs = csr_matrix((np.ones(len(rows), np.float32), (rows, columns)),
                         shape=(len(members), vectors.shape[0]))  # fmt: skip
    sums = (belongs @ vectors).tocsr()
    norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    centroids = csr_matrix(sums.multiply(1 / np.maximum(norms, 1e-12)[:, None]))
    seconds = np.array([doc.at.timestamp() for doc in groups.places.docs])
    starts = np.array([seconds[m].min() for m in members])
    ends = np.array([seconds[m].max() for m in members])
    reach = rules.link_days * 86400
    found = []
    transposed = centroids.T.tocsr()
    for first in range(0, len(members), 1000):
        block = (centroids[first : first + 1000] @ transposed).tocoo()
        a, b, similarity = block.row + first, block.col, block.data
        apart = np.maximum(starts[a], starts[b]) - np.minimum(ends[a], ends[b])
        keep = (b > a) & (similarity >= rules.same_problem) & (apart <= reach)
        found.extend(
            zip(similarity[keep].tolist(), a[keep].tolist(), b[keep].tolist(), strict=True)
        )
    for _, a, b in sorted(found, reverse=True):
        named_a = set().union(*(groups.places.named(i) for i in members[a]))
        named_b = set().union(*(groups.places.named(i) for i in members[b]))
        if not named_a.isdisjoint(named_b):
            groups.join(members[a][0], members[b][0])


def _issues_of(docs: list[Doc], start: datetime, rules: Rules) -> list[HotIssue]:
    """The hot issues of one partition's docs (oldest first)."""
    grouped = _grouped(docs, rules)
    if grouped is None:
        return []
    docs, vectors, places, rows = grouped
    issues = []
    for member_rows in rows:
        current = [i for i in member_rows if docs[i].at >= start]
        citizens = {docs[i].citizen for i in current}
        likes = sum(docs[i].likes for i in current)
        if not current or (len(citizens) < rules.min_citizens and likes < rules.min_likes):
            continue
        issues.append(_issue(docs, vectors, places, member_rows, current, len(citizens)))
    return issues


def _issue(docs, vectors, places, member_rows, current, citizens) -> HotIssue:
    previous = len(member_rows) - len(current)
    named = Counter(name for i in current for name in places.named(i))
    in_titles = Counter(name for i in current for name in places.in_title(i))
    shared = [name for name, count in named.items() if count >= 2]
    place = max(shared, key=lambda n: (named[n], in_titles[n], len(n))) if shared else None
    rows = vectors[current]
    centrality = rows @ np.asarray(rows.sum(axis=0)).ravel()  # each one's likeness to all
    central = docs[current[int(np.argmax(centrality))]]
    regions = Counter(docs[i].region for i in current)
    return HotIssue(
        place=place,
        description=central.title,
        region=regions.most_common(1)[0][0],
        first_at=min(docs[i].at for i in current),
        last_at=max(docs[i].at for i in current),
        message_ids=sorted(docs[i].id for i in current),
        citizens=citizens,
        likes=sum(docs[i].likes for i in current),
        previous=previous,
        negative_share=sum(docs[i].negative for i in current) / len(current),
        growth=min(1.0, max(0.0, (len(current) - previous) / max(previous, 1))),
    )


class _Places:
    """The places each message names, read once and only where a decision needs them: those
    ``place_names`` finds by their kind, and the bare names this search's own messages taught
    (``learned_names``)."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.titles: dict[int, set[str]] = {}
        self.all: dict[int, set[str]] = {}
        read = [(doc.citizen, f"{doc.title}\n{doc.text[:_TEXT_HEAD]}") for doc in docs]
        learned = learned_names(read, MOST_SHARE)
        ordered = sorted(learned, key=len, reverse=True)
        self.learned = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def _read(self, text: str) -> set[str]:
        names = place_names(text)
        if self.learned is not None:
            names.update(found.group() for found in self.learned.finditer(text))
        return names

    def in_title(self, i: int) -> set[str]:
        if i not in self.titles:
            self.titles[i] = self._read(self.docs[i].title)
        return self.titles[i]

    def named(self, i: int) -> set[str]:
        if i not in self.all:
            self.all[i] = self.in_title(i) | self._read(self.docs[i].text[:_TEXT_HEAD])
        return self.all[i]


class _Groups:
    """Union-find over the messages, each group with the places its messages name and the
    counties they are about, so that a link never joins two groups about different places,
    nor two of different counties: two counties' 饭店 without a licence are two matters, and
    so are two counties' 人民广场."""

    def __init__(self, places: _Places) -> None:
        self.places = places
        self.parent = list(range(len(places.docs)))
        self.named: dict[int, set[str]] = {}
        self.counties: dict[int, set[str]] = {
            i: {doc.region} for i, doc in enumerate(places.docs) if _is_county(doc.region)
        }

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def together(self, i: int, j: int) -> bool:
        return self.find(i) == self.find(j)

    def _named(self, root: int) -> set[str]:
        if root not in self.named:
            self.named[root] = set(self.places.named(root))
        return self.named[root]

    def join(self, i: int, j: int) -> None:
        """Join the groups of ``i`` and ``j`` unless they name different places or are about
        different counties."""
        root_i, root_j = self.find(i), self.find(j)
        named_i, named_j = self._named(root_i), self._named(root_j)
        counties_i, counties_j = self.counties.get(root_i), self.counties.get(root_j)
        if not same_place(named_i, named_j) or (
            counties_i and counties_j and counties_i.isdisjoint(counties_j)
        ):
            return
        self.parent[root_j] = root_i
        named_i |= self.named.pop(root_j)
        if counties_j:
            self.counties.setdefault(root_i, set()).update(self.counties.pop(root_j))

    def groups(self) -> list[list[int]]:
        members: defaultdict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            members[self.find(i)].append(i)
        return list(members.values())


def _is_county(region: str | None) -> bool:
    """A county-level code (360731), not a city's (360700) or the province's (360000): a
    message with a city's code may be about any of its counties."""
    return bool(region) and not region.endswith("00")
