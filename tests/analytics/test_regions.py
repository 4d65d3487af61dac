import pytest

from analytics.regions import RegionMatcher, jiangxi_divisions


@pytest.fixture(scope="module")
def matcher():
    return RegionMatcher(jiangxi_divisions())


def test_jiangxi_has_11_cities_and_100_counties_with_current_codes():
    divisions = {d.code: d for d in jiangxi_divisions()}
    assert sum(d.level == "city" for d in divisions.values()) == 11
    assert sum(d.level == "county" for d in divisions.values()) == 100
    assert divisions["360113"].name == "红谷滩区" and divisions["360113"].parent_code == "360100"
    assert divisions["360404"].name == "柴桑区"
    assert divisions["360704"].name == "赣县区"


def test_every_division_lies_in_the_one_above_it_under_a_code_of_its_own():
    divisions = {d.code: d for d in jiangxi_divisions()}
    assert len(divisions) == len(jiangxi_divisions()) == 112
    for division in divisions.values():
        assert len(division.code) == 6 and division.code.isdigit()
        if division.level == "province":
            assert division.parent_code is None and division.code == "360000"
            continue
        parent = divisions[division.parent_code]
        above, shared = {"city": ("province", 2), "county": ("city", 4)}[division.level]
        assert parent.level == above and division.code[:shared] == parent.code[:shared]


def test_a_county_short_name_never_shadows_its_city():
    divisions = {d.code: d for d in jiangxi_divisions()}
    assert divisions["360121"].short_name == "南昌县"  # 南昌 is the city
    assert divisions["360100"].short_name == "南昌"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("南昌市红谷滩区某小区门口积水", "360113"),
        ("红谷滩万达附近乱停车", "360113"),
        ("我住在南昌县莲塘镇", "360121"),
        ("赣州章贡区的路灯坏了", "360702"),
        ("九江市柴桑区", "360404"),
        ("吉安市某学校", "360800"),
        ("江西省的政策", "360000"),
        ("赣州东湖区", "360700"),  # 东湖区 is 南昌's: the named city wins over a guess
    ],
)
def test_the_most_specific_place_named_is_found(matcher, text, code):
    assert matcher.find(text).code == code


def test_a_text_naming_no_jiangxi_place_has_no_region(matcher):
    assert matcher.find("上海浦东新区的地铁") is None
    assert matcher.find("") is None


@pytest.mark.parametrize(
    "text",
    [
        "新建小区没有停车位",  # 新建 "newly built", not 新建区
        "新干部上任三把火",  # 新 + 干部, not 新干县
        "上高速前排队",  # 上 + 高速, not 上高县
        "万年历上查的",  # not 万年县
        "去武汉东湖看樱花",  # 东湖 outside Jiangxi
    ],
)
def test_common_words_that_contain_a_short_name_are_not_read_as_places(matcher, text):
    assert matcher.find(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("瑞金人民医院挂号难", "360781"),
        ("井冈山大学门口", "360881"),
        ("南昌市东湖区", "360102"),  # a common short name still counts in full
        ("去都昌玩", "360428"),
    ],
)
def test_short_names_still_count_where_they_are_the_place(matcher, text, code):
    assert matcher.find(text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "丽发新城南城的业主反映停车难",  # a compound whose name ends in 南城
        "石城大道路灯不亮",  # a road named after 石城县, which may lie anywhere
        "寻乌村的自来水停了",  # a village
        "A5区鄱阳村安置房漏水",
        "楚龙南塘路堵车",  # 龙南 inside a road's name
        "井冈山大道拥堵",  # a road of 南昌
        "鄱阳湖的水位又降了",  # a lake across several counties
    ],
)
def test_a_short_name_inside_a_place_name_is_no_mention_of_its_county(matcher, text):
    assert matcher.find(text) is None


def test_a_compound_named_with_a_county_is_placed_in_the_city_the_text_names(matcher):
    found = matcher.find("抚州丽发新城南城物业不作为")
    assert (found.code, found.mentions) == ("361000", ("抚州",))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("南城的路灯坏了", "361021"),
        ("我在石城", "360735"),
        ("鹰潭余江", "360603"),
        ("石城有个小区没有物业", "360735"),
        ("南城县丽发新城南城停车难", "361021"),  # in full
        ("石城县石城大道路灯不亮", "360735"),
        ("赣州石城大道路灯不亮", "360735"),  # right after its own city
        ("南城丽发新城小区停车难", "361021"),  # the county before a place's own name
        ("瑞金站出站口拥堵", "360781"),  # a station serves the county it is named for
    ],
)
def test_a_short_name_that_is_the_place_is_still_found(matcher, text, code):
    assert matcher.find(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("南昌大学门口", "360100"), ("赣州东湖小区停水", "360700"), ("南昌西站", "360100")],
)
def test_a_citys_short_name_in_a_place_name_still_names_the_city(matcher, text, code):
    assert matcher.find(text).code == code
