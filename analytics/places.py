"""Place names (地名) in citizens' words: the compounds, roads, schools, villages, companies…
a message is about, read by their kind (小区, 路, 学校…; see ``PLACE_SUFFIXES``) and, within a
set of messages, by where several citizens put a bare name (``learned_names``).

Hot issues join messages about one place by these names; the region matcher asks them whether
a county's short name lies in a longer place's name (南城 in 丽发新城南城), where it is no
mention of the county. The matcher runs in web processes at intake, so this module imports
neither numpy nor scipy; the segmenter it reads sentences with loads on first use.

>>> sorted(place_names("投诉翠湖苑小区的积水"))
['翠湖苑', '翠湖苑小区']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from analytics.divisions import jiangxi_divisions
from analytics.words import SHIPPED_DICTIONARY, segmenter

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
#: Kinds of place alone, with a quarter or a phase (大道, 东路, 大道路, 村): what follows a
#: region's name in a place named after the region (石城大道).
_KINDS_ALONE = re.compile(
    rf"(?:[东西南北中]?(?:{'|'.join(sorted(PLACE_SUFFIXES, key=len, reverse=True))}))+"
    rf"(?:{_PHASE})?"
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


def only_kinds(text: str) -> bool:
    """Whether ``text`` is kinds of place alone (大道, 东路, 村), no name among them: 石城大道
    is a region's name and a kind, 瑞金人民医院 a region's name and a place's.

    >>> only_kinds("大道"), only_kinds("东路"), only_kinds("人民医院")
    (True, True, False)
    """
    return _KINDS_ALONE.fullmatch(text) is not None


def _after_the_sentence(text: str) -> str:
    """What of ``text`` follows its last word that no name holds (a verb, a pronoun…).

    >>> _after_the_sentence("教育局拖延恒大城"), _after_the_sentence("和平小学")
    ('恒大城', '和平小学')
    """
    words = segmenter().lcut(text, HMM=False)
    ends = _sentence_words()
    last = max(
        (n for n, word in enumerate(words)
         if word in _NOT_IN_NAMES or (len(word) > 1 and word in ends)),
        default=-1,
    )  # fmt: skip
    return "".join(words[last + 1 :])


@cache
def _dictionary_words() -> frozenset[str]:
    with SHIPPED_DICTIONARY.open(encoding="utf-8") as lines:
        return frozenset(line.split(" ", 1)[0] for line in lines)


@cache
def _sentence_words() -> frozenset[str]:
    """The segmenter's words that are no part of a name (see ``_SENTENCE_TAGS``)."""
    words = set()
    with SHIPPED_DICTIONARY.open(encoding="utf-8") as lines:
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


def same_place(names: set[str], others: set[str]) -> bool:
    """Whether two sets of place names may be about one place: either names none, or a name
    of one holds a name of the other (翠湖苑 in 翠湖苑小区; 沿河路 in a name read too long).

    >>> same_place({"翠湖苑小区"}, {"翠湖苑"}), same_place({"丽景公寓"}, {"金桂新村"})
    (True, False)
    """
    if not names or not others:
        return True
    return not names.isdisjoint(others) or any(a in b or b in a for a in names for b in others)


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


def learned_names(messages: Sequence[tuple[str, str]], most_share: float) -> set[str]:
    """Bare names (五矿万境) that at least ``_LEARNED_FROM`` citizens put where a place goes
    (``_NAME_IN_CONTEXT``): one citizen's phrase is not a place, a name several use is. A
    phrase of common words (养老保险) is no name, nor is a name in more than ``most_share`` of
    the messages (and more than 3) to tell matters apart, nor a region. ``messages`` are
    (citizen, what of the message is read) pairs.

    >>> texts = ["投诉A市五矿万境业主车位捆绑", "位于五矿万境旁边的搅拌站扰民", "在公交车上"]
    >>> sorted(learned_names([(f"c{i}", t) for i, t in enumerate(texts)], 0.01))
    ['五矿万境']
    """
    users: defaultdict[str, set[str]] = defaultdict(set)
    for citizen, text in messages:
        for found in _NAME_IN_CONTEXT.finditer(text):
            name = _after_the_sentence(_REGION_PREFIX.sub("", found.group(1)))
            users[name].add(citizen)
    most = max(3, most_share * len(messages))
    return {
        name
        for name, citizens in users.items()
        if len(citizens) >= _LEARNED_FROM and _is_a_name(name) and not _only_words(name)
        and sum(name in text for _, text in messages) <= most
    }  # fmt: skip


def _only_words(text: str) -> bool:
    """Whether ``text`` reads as the dictionary's words of two characters or more alone
    (养老保险, 入学问题): a phrase of common words, where a place's own name (五矿万境,
    星城国际) holds something the dictionary does not know."""
    words = _dictionary_words()
    return all(len(word) > 1 and word in words for word in segmenter().lcut(text, HMM=False))
