"""A theme's keywords are the words that mark it out from the other themes."""

from analytics.keywords import keywords, words


def test_a_word_every_theme_uses_ranks_below_each_themes_own_words():
    groups = {
        "traffic": [words("公交车太挤，班次太少"), words("公交车晚点，等了一小时")],
        "school": [words("孩子入学学位紧张，学区划分不合理"), words("学位不够，入学难")],
    }
    for group in groups.values():
        group.append(words("小区小区小区"))
        group.append(words("小区的事情"))
    marked = keywords(groups, top=3)
    assert marked["traffic"] == ["公交车", "小区"]
    assert set(marked["school"][:2]) == {"学位", "入学"} and marked["school"][2] == "小区"


def test_a_word_of_one_message_only_is_no_keyword():
    marked = keywords(
        {"a": [words("停车难"), words("路灯坏")], "b": [words("学位"), words("学位")]}
    )
    assert marked["a"] == [] and marked["b"] == ["学位"]


def test_genre_words_are_never_keywords():
    found = set(words("希望尽快解决这个小区的停车问题"))
    assert found and not found & {"希望", "尽快", "解决", "这个", "问题"}


#: Messages as citizens write them, three of each theme, with the filler their genre is made of.
MESSAGES = {
    "labour": [
        "龙华家具有限公司拖欠工资三个月，经过多次讨要，老板一直说下个月发，不能再拖下去了",
        "公司拖欠我们一个多月的工资和加班费，找老板也不知道什么时候能发下来",
        "工地包工头拖欠农民工工资，经过劳动监察也没有结果，不知道该找谁",
    ],
    "parking": [
        "小区停车位太少，每天晚上回来都找不到地方停车，一个车位要等一个月",
        "小区门口乱停车，堵住消防通道，经过物业也管不下来，不能再这样了",
        "停车收费太贵，一个小时十块钱，不知道收费标准是谁定的",
    ],
    "noise": [
        "楼下广场舞噪音太大，每天晚上到十点，一个老人知道了也睡不着觉",
        "工地夜间施工噪音扰民，经过多次投诉还是不能停下来",
        "酒吧噪音扰民，凌晨两点还在放音乐，不知道有没有人管",
    ],
    "beds": [
        "人民医院住不上院，排了一个星期，不知道什么时候有床位",
        "老人病重住不上院，医院说床位满了，不能再等下来了",
        "住不上院只能在走廊加床，经过好几家医院都一样",
    ],
}
FILLER = {"一个", "知道", "不知道", "不能", "下来", "经过", "上院", "一个月", "时候"}


def test_a_themes_keywords_name_its_matters_not_the_filler_of_its_messages():
    marked = keywords({theme: [words(text) for text in texts] for theme, texts in MESSAGES.items()})
    shown = {word for found in marked.values() for word in found}
    assert not shown & FILLER, marked
    assert {"拖欠", "工资"} <= set(marked["labour"]) and "停车" in marked["parking"]
    assert "噪音" in marked["noise"] and "床位" in marked["beds"]
