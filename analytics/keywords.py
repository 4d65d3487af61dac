"""The words that mark a theme out (a report's 关键词): class-based TF-IDF over the words of
each theme's messages, so a theme's keywords are those frequent in it and rare in the others,
not words frequent everywhere (问题, 反映, 小区).

For each group (a theme) and word: weight = tf × ln(1 + average words per group / the word's
count over all groups) × ln(1 + groups / the groups using it), where tf = the word's count in
the group / the group's words: class-based TF-IDF, with the last factor so that a word every
theme uses marks none of them. A word counts only when two or more of the group's messages
use it.

>>> keywords({"交通": [["公交", "线路"], ["公交", "站点"]], "教育": [["学位", "入学"],
...           ["学位", "学校"]]}, top=1)
{'交通': ['公交'], '教育': ['学位']}
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

from analytics.package_data import snownlp_stop_words
from analytics.words import SHIPPED_DICTIONARY, segmenter

_CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def keywords(
    groups: Mapping[Hashable, Sequence[Iterable[str]]], top: int = 8
) -> dict[Hashable, list[str]]:
    """The ``top`` words of each group of tokenized messages, best first."""
    counts = {group: Counter() for group in groups}
    users = {group: Counter() for group in groups}
    for group, messages in groups.items():
        for words in messages:
            words = list(words)
            counts[group].update(words)
            users[group].update(set(words))
    overall = sum(counts.values(), Counter())
    spread = Counter(word for words in counts.values() for word in words)
    average = sum(overall.values()) / max(len(groups), 1)
    result = {}
    for group, words in counts.items():
        size = sum(words.values())
        weights = {
            word: count
            / size
            * math.log(1 + average / overall[word])
            * math.log(1 + len(groups) / spread[word])
            for word, count in words.items()
            if users[group][word] >= 2
        }
        result[group] = sorted(weights, key=lambda w: (-weights[w], w))[:top]
    return result


#: Words of the genre itself, in every theme's messages alike; and 上院, which jieba cuts out
#: of 住不上院 (住院 with 不上 inside it), a phrase of every complaint about hospital beds.
_GENRE_WORDS = frozenset(
    "问题 反映 希望 请求 要求 建议 咨询 投诉 举报 政府 相关 部门 领导 您好 你好 我们 他们 "
    "现在 目前 情况 进行 没有 已经 可以 这个 那个 什么 怎么 为什么 如何 是否 能否 谢谢 感谢 "
    "一下 一些 这些 时候 时间 今年 去年 多次 处理 解决 尽快 有关 关于 以及 因为 所以 但是 "
    "而且 还是 就是 不是 只是 上院".split()
)
#: The parts of speech (jieba's tags, from the dictionary) that can name a matter: nouns, bar
#: place names (where, not what: 新区, 南湖); verbs (拖欠, 停车, 停水); nominal adjectives
#: (卫生); abbreviations (医保); fixed phrases (违章建筑, 臭气熏天). Not numerals (一个), time
#: words (下来), prepositions (经过), adverbs, pronouns, place words (门口) or adjectives.
_MATTER_TAGS = ("n", "v", "an", "j", "l", "i")


def words(text: str, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that can be keywords: jieba's, with the shipped dictionary and
    without guessing unknown words (a third of the time; places are the hot issues' part),
    two characters or more, Chinese, of a part of speech that can name a matter, and neither
    in SnowNLP's stop words (一个, 知道, 不能), nor the genre's own, nor in ``leave_out``.

    >>> words("希望尽快解决青山湖区小区的停车问题", leave_out=name_parts(["青山湖区"]))
    ['小区', '停车']
    """
    found = segmenter(SHIPPED_DICTIONARY).lcut(text, HMM=False)
    kept = _kept_words(SHIPPED_DICTIONARY)
    return [
        w
        for w in found
        if len(w) >= 2 and w in kept and _CHINESE.fullmatch(w) and w not in leave_out
    ]


@cache
def _kept_words(dictionary: Path) -> frozenset[str]:
    """The dictionary's words that can be keywords: of a part of speech in _MATTER_TAGS, not
    stop words, not the genre's own. Read once per process (40,000 lines, 30 ms)."""
    stop = snownlp_stop_words() | _GENRE_WORDS
    kept = set()
    with open(dictionary, encoding="utf-8") as lines:
        for line in lines:
            word, _, tag = line.split()
            if tag.startswith(_MATTER_TAGS) and tag != "ns" and word not in stop:
                kept.add(word)
    return frozenset(kept)


def name_parts(names: Iterable[str]) -> frozenset[str]:
    """Every piece of two characters or more of ``names``: the regions' names, which mark out
    where a theme's messages come from, not what they are about (青山湖区 gives 青山, 湖区…).

    >>> sorted(name_parts(["东湖区"]))
    ['东湖', '东湖区', '湖区']
    """
    return frozenset(
        name[start:end]
        for name in names
        for start in range(len(name))
        for end in range(start + 2, len(name) + 1)
    )
