"""A theme's keywords are the words that mark it out from the other themes."""

from analytics.keywords import keywords, words


def test_a_word_every_theme_uses_ranks_below_each_themes_own_words():
    groups = {
        "traffic": [words("公交车太挤，班次太少"), words("公交车晚点，等了一小时")],
        "school": [words("孩子入学学位紧张，学区划分不合理"), words("学位不够，入学难")],
    }
    for group in groups.values():
        group.append(words("南昌南昌南昌"))
        group.append(words("南昌的事情"))
    marked = keywords(groups, top=3)
    assert marked["traffic"] == ["公交车", "南昌"]
    assert set(marked["school"][:2]) == {"学位", "入学"} and marked["school"][2] == "南昌"


def test_a_word_of_one_message_only_is_no_keyword():
    marked = keywords(
        {"a": [words("停车难"), words("路灯坏")], "b": [words("学位"), words("学位")]}
    )
    assert marked["a"] == [] and marked["b"] == ["学位"]


def test_genre_words_are_never_keywords():
    found = set(words("希望尽快解决这个小区的停车问题"))
    assert found and not found & {"希望", "尽快", "解决", "这个", "问题"}
