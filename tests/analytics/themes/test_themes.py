"""The taxonomy and the keyword rules that place a message before any model is trained."""

import pytest

from analytics.themes import Refined, RuleClassifier, Taxonomy, TrainedClassifier, message_text


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.default()


@pytest.fixture(scope="module")
def rules(taxonomy):
    return RuleClassifier(taxonomy)


def test_the_default_covers_the_seven_12345_classes_and_the_policys_livelihood_themes(taxonomy):
    first = {t.name for t in taxonomy.first_levels()}
    assert {
        "城乡建设",
        "环境保护",
        "交通运输",
        "教育文体",
        "劳动和社会保障",
        "商贸旅游",
        "卫生计生",
    } <= first
    livelihood = {t.livelihood for t in taxonomy.themes.values() if t.livelihood}
    assert livelihood == {
        "就业岗位",
        "托幼园位",
        "上学座位",
        "医疗床位",
        "养老点位",
        "停车车位",
        "如厕位",
    }
    assert [t.name for t in taxonomy.path("transport.parking")] == ["交通运输", "停车"]


@pytest.mark.parametrize(
    ("title", "content", "code"),
    [
        ("幼儿园入园难", "小区周边没有普惠园，孩子上幼儿园排不上号", "education.childcare"),
        ("小区停车难", "老旧小区没有停车位，晚上车辆乱停", "transport.parking"),
        ("公司拖欠工资", "老板拖欠我们农民工三个月工资", "labour.wages"),
        ("医院床位紧张", "市一医院住院要等一周，没有病床", "health.beds"),
        ("夜间施工扰民", "工地夜间施工噪音太大", "environment.noise"),
    ],
)
def test_the_rules_place_a_message_by_its_keywords(rules, title, content, code):
    placement = rules.classify(title, content)
    assert placement.code == code and 0 < placement.confidence < 1
    assert placement.model.startswith("rules@")


def test_a_message_naming_no_keyword_is_left_unclassified(rules):
    placement = rules.classify("你好", "谢谢")
    assert placement.code is None and placement.confidence == 0.0


def test_the_longest_keyword_wins_where_two_overlap(rules):
    assert rules.matcher.hits("停车位不够") == {"transport.parking": 1}


def test_a_keyword_two_themes_share_goes_to_the_same_one_whatever_order_the_rows_come_in(
    taxonomy,
):
    # 医生 is both 卫生计生's and 医疗服务's; the database returns rows in no set order.
    backwards = Taxonomy(reversed(list(taxonomy.themes.values())))
    title, content = "医院的医生很负责", "住院期间医生照顾得细心。"
    placed = {RuleClassifier(t).classify(title, content).code for t in (taxonomy, backwards)}
    assert placed == {"health"}


def test_a_trained_model_learns_labels_and_survives_a_save(taxonomy, tmp_path):
    texts = [message_text(t, c) for t, c in [
        ("路灯坏了", "小区门口路灯不亮"), ("井盖丢失", "路上井盖没了很危险"),
        ("下水道堵塞", "排水不畅一下雨就积水"), ("学校收费", "学校乱收资料费"),
        ("补课", "老师组织有偿补课"), ("校车", "校车超载"),
    ]] * 3  # fmt: skip
    labels = ["construction"] * 3 + ["education"] * 3
    model = TrainedClassifier.train(taxonomy, texts, labels * 3)
    model.save(tmp_path / model.version)
    loaded = TrainedClassifier.load(tmp_path / model.version)
    placement = loaded.classify("学校乱收费", "老师要求交补课费")
    assert placement.code == "education" and placement.model == model.version
    assert TrainedClassifier.train(taxonomy, texts, labels * 3).version == model.version


def test_a_model_trained_on_first_levels_keeps_the_deeper_themes_the_rules_find(taxonomy):
    """Training on 一级分类 labels must not take 停车车位 or 托幼园位 away: the rules carry a
    first-level answer down to the deepest theme they find under it, and only under it."""
    texts = [message_text(t, c) for t, c in [
        ("公交线路", "希望增开公交车"), ("道路拥堵", "路口红绿灯时间太短"),
        ("出租车拒载", "出租车司机拒载"), ("学校收费", "学校乱收资料费"),
        ("补课", "老师组织有偿补课"), ("招生", "学区划分不合理"),
    ]] * 3  # fmt: skip
    labels = ["transport"] * 3 + ["education"] * 3
    model = TrainedClassifier.train(taxonomy, texts, labels * 3)
    refined = Refined(model, RuleClassifier(taxonomy))
    parking, childcare, school = refined.classify_many([
        ("小区停车位不够", "晚上停车难，车位太少"),
        ("幼儿园", "孩子上幼儿园收费太高"),
        ("学校收费", "学校乱收资料费"),
    ])  # fmt: skip
    assert parking.code == "transport.parking" and childcare.code == "education.childcare"
    assert taxonomy.path(school.code)[0].code == "education"
    assert parking.model == refined.version == f"{model.version}+rules@{taxonomy.fingerprint}"
    # Rules below another branch do not move a message out of the model's answer.
    assert RuleClassifier(taxonomy).refine("education", "小区停车位不够") == "education"
