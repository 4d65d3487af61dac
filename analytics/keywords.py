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


#: Words of the genre itself, in every theme's messages alike.
_GENRE_WORDS = frozenset(
    "问题 反映 希望 请求 要求 建议 咨询 投诉 举报 政府 相关 部门 领导 您好 你好 我们 他们 "
    "现在 目前 情况 进行 没有 已经 可以 这个 那个 什么 怎么 为什么 如何 是否 能否 谢谢 感谢 "
    "一下 一些 这些 时候 时间 今年 去年 多次 处理 解决 尽快 有关 关于 以及 因为 所以 但是 "
    "而且 还是 就是 不是 只是".split()
)


def words(text: str, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that can be keywords: jieba's, with the shipped dictionary and
    without guessing unknown words (a third of the time; places are the hot issues' part),
    two characters or more, Chinese, not the genre's own nor in ``leave_out``.

    >>> words("希望尽快解决青山湖区小区的停车问题", leave_out=name_parts(["青山湖区"]))
    ['小区', '停车']
    """
    from analytics.sentiment import DICTIONARY_FILE, SHIPPED_MODEL, segmenter

    found = segmenter(SHIPPED_MODEL / DICTIONARY_FILE).lcut(text, HMM=False)
    return [
        w
        for w in found
        if len(w) >= 2 and _CHINESE.fullmatch(w) and w not in _GENRE_WORDS and w not in leave_out
    ]


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
