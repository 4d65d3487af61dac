import pytest

from analytics.places import place_names


def test_places_are_named_without_the_sentence_around_them():
    assert place_names("希望相关部门治理南昌市青山湖区翠湖苑小区门口的垃圾站") >= {"翠湖苑小区"}
    assert "翠湖苑" in place_names("投诉翠湖苑垃圾站恶臭扰民")
    assert not any("政府" in name for name in place_names("尊敬的市政府领导"))


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("南昌市青山湖区老旧小区改造进度太慢", set()),  # a county and a kind of place
        ("湖口县城区道路破损严重", set()),
        ("A市城的公交太少，A1区路灯不亮", set()),
        ("这条路过马路很危险，县级公路也没有路灯", set()),
        ("南昌县莲塘镇澄湖西路积水", {"澄湖西路"}),  # the road, whole, after its town
        ("反对K7县拆除五一桥来建商业廊桥", {"五一桥", "商业廊桥"}),
        ("举报南大门市场占道经营", {"南大门市场"}),
        ("B1区月塘街道东环社区残疾人请求援助", {"东环社区"}),  # 街道 is a sub-district
        ("居民投诉郴汽集团职工装修扰民", {"郴汽集团"}),  # the complaint is no part of the name
        ("质疑D12市东方水岸明珠6期乱收费", {"东方水岸明珠6期", "东方水岸明珠"}),  # a phase
        ("这家饭店没有卫生许可证", set()),  # a measure word and a kind
        ("投诉香满楼小吃店没有卫生许可", {"香满楼小吃店"}),
    ],
)
def test_regions_and_kinds_of_place_are_no_places(text, places):
    """Jiangxi's regions, a region's centre and generic kinds (垃圾站, 老旧小区) would link
    messages about different places: they are no place names."""
    assert place_names(text) == places
