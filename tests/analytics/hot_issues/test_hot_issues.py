"""Hot issues found among real messages: a planted one comes out whole and on top, one citizen
writing again and again is no hot issue, and the index is the documented formula."""

import math
from datetime import datetime, timedelta

import pytest

from analytics.history import clean_text, parse_time
from analytics.hot_issues import Doc, HotIssue, find_hot_issues
from analytics.tables import read_rows
from tests.support import shared_data

PLANTED = [
    ("翠湖苑小区门口垃圾站臭气熏天", "翠湖苑小区门口的垃圾中转站每天散发恶臭，夏天根本不敢开窗。"),
    ("投诉翠湖苑垃圾站恶臭扰民", "我是翠湖苑业主，小区大门旁垃圾站臭味太大，希望搬走。"),
    ("翠湖苑小区垃圾中转站问题", "翠湖苑小区旁的垃圾中转站气味难闻，蚊蝇很多，请求整治。"),
    ("强烈要求迁移翠湖苑小区门口垃圾站", "翠湖苑门口垃圾站离住户太近，臭气熏天，影响健康。"),
]


@pytest.fixture(scope="module")
def real_docs() -> list[Doc]:
    rows = read_rows(shared_data("teddy2020/附件4.xlsx"))
    return [
        Doc(int(row["留言编号"]), clean_text(row["留言主题"]), clean_text(row["留言详情"]),
            parse_time(row["留言时间"]), str(row["留言用户"]), "p")
        for row in rows
    ]  # fmt: skip


def planted(start: datetime, citizens: list[str], likes: int = 10) -> list[Doc]:
    return [
        Doc(9_000_000 + n, title, text, start + timedelta(days=n * 2), citizen, "p", likes=likes)
        for n, ((title, text), citizen) in enumerate(zip(PLANTED, citizens, strict=True))
    ]


def test_a_planted_hot_issue_is_found_whole_among_real_messages_and_ranks_first(real_docs):
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    docs = real_docs + planted(start, ["a", "b", "c", "d"])
    window = [d for d in docs if start - timedelta(days=60) <= d.at < start + timedelta(days=60)]
    issues = find_hot_issues(window, start - timedelta(days=30))
    top = issues[0]
    assert top.message_ids == [9_000_000, 9_000_001, 9_000_002, 9_000_003]
    assert top.place.startswith("翠湖苑") and top.citizens == 4 and top.likes == 40


def test_one_citizen_writing_again_and_again_is_no_hot_issue():
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    assert find_hot_issues(planted(start, ["a"] * 4, likes=0), start) == []


def test_messages_of_other_partitions_are_never_grouped():
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    docs = [Doc(d.id, d.title, d.text, d.at, d.citizen, str(d.id)) for d in planted(start, "abcd")]
    assert find_hot_issues(docs, start) == []


def test_the_index_is_the_documented_formula():
    at = datetime(2026, 3, 1)
    issue = HotIssue(None, "", None, at, at, [1, 2, 3], 3, 20, 1, 2 / 3, 1.0)
    assert issue.index == round((3 + math.log1p(20)) * (1 + 2 / 3) * 2, 3)


def test_one_message_that_many_supported_is_a_hot_issue_on_its_own():
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    (title, text), at = PLANTED[0], start + timedelta(days=1)
    supported = Doc(1, title, text, at, "a", "p", likes=300)
    unnoticed = Doc(2, "咨询社保卡补办地点", "在哪里办理？", at, "b", "p", likes=3)
    (issue,) = find_hot_issues([supported, unnoticed], start)
    assert issue.message_ids == [1] and issue.citizens == 1 and issue.likes == 300


def test_a_phone_and_id_number_in_two_messages_do_not_make_them_one_matter():
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    numbers = "联系电话13907911234，身份证号360102199001011234。"
    noise = Doc(1, "阳光花园小区夜间施工噪音扰民", numbers + "晚上施工吵得睡不着", start, "a", "p")
    lift = Doc(2, "朝阳新城小区电梯频繁故障", numbers + "电梯三天两头停运", start, "b", "p")
    assert find_hot_issues([noise, lift], start) == []


def test_alike_complaints_about_two_places_are_two_hot_issues_even_with_a_placeless_bridge():
    """Worded alike is not enough: 龙华家具 and 瑞丰家具 owing wages are two matters, and a
    message that names no company, alike to both, joins one of them at most."""
    start = datetime.fromisoformat("2026-11-01T00:00:00+08:00")
    texts = [
        ("龙华家具有限公司拖欠工资，恳请帮助", "龙华家具有限公司两个月没发工资"),
        ("龙华家具有限公司拖欠工资", "龙华家具有限公司拖欠工资，老板不露面"),
        ("瑞丰家具有限公司拖欠工资，恳请帮助", "瑞丰家具有限公司两个月没发工资"),
        ("瑞丰家具有限公司拖欠工资", "瑞丰家具有限公司拖欠工资，老板不露面"),
        ("家具厂拖欠工资，恳请帮助", "两个月没发工资，老板不露面"),
    ]
    docs = [
        Doc(n, title, text, start + timedelta(hours=n), f"c{n}", "p")
        for n, (title, text) in enumerate(texts)
    ]
    issues = find_hot_issues(docs, start)
    assert sorted(issue.place for issue in issues) == ["瑞丰家具有限公司", "龙华家具有限公司"]
    assert {0, 1} <= set(issues[0].message_ids) | set(issues[1].message_ids)
    assert all(not {0, 2} <= set(issue.message_ids) for issue in issues)


def test_alike_messages_about_two_counties_are_two_matters():
    start = datetime.fromisoformat("2026-11-01T00:00:00+08:00")
    unlicensed = ("人民广场路边饭店没有卫生许可", "人民广场这家饭店没有卫生许可证，厨房脏乱")

    def doc(n: int, region: str) -> Doc:
        return Doc(n, *unlicensed, start + timedelta(hours=n), f"c{n}", "360700", region)

    apart = find_hot_issues([doc(1, "360731"), doc(2, "360722")], start)
    assert apart == []  # 于都县 and 信丰县: two matters, each of one citizen
    (together,) = find_hot_issues([doc(1, "360731"), doc(2, "360731"), doc(3, "360700")], start)
    assert together.message_ids == [1, 2, 3]  # one county, and the city's own code


#: Messages with no character n-gram: punctuation, emoji, digits, spaces, nothing.
WORDLESS = [("?", "1"), ("！？。", "……"), ("😀🙏", "👍"), ("110", "12345"), (" ", "\n\t "),
            ("", "")]  # fmt: skip


def test_messages_without_words_are_no_hot_issue_even_when_many_supported_them():
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    docs = [
        Doc(n, title, text, start + timedelta(hours=n), f"c{n}", "p", likes=300)
        for n, (title, text) in enumerate(WORDLESS)
    ]
    assert find_hot_issues(docs, start) == []


def test_messages_without_words_change_nothing_of_the_hot_issues_of_those_with_words():
    start = datetime.fromisoformat("2019-06-01T00:00:00+08:00")
    worded = planted(start, ["a", "b", "c", "d"])
    wordless = [
        Doc(n, title, text, start + timedelta(days=1), f"w{n}", "p", likes=300)
        for n, (title, text) in enumerate(WORDLESS)
    ]
    alone = find_hot_issues(worded, start)
    assert alone and find_hot_issues(wordless + worded, start) == alone
