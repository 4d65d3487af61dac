"""A reply's quality: its parts against its message, its flags, and templates across replies."""

from analytics.replies import TemplateIndex, score_reply
from analytics.replies.parts import timeliness

TITLE = "红谷滩区丰和中大道路灯不亮"
CONTENT = (
    "丰和中大道绿地中央广场一段的路灯已经坏了两个月，晚上一片漆黑，行人很不安全，希望尽快修复。"
)
SPECIFIC = (
    "网友您好！经核实，丰和中大道绿地中央广场段共有路灯12盏，其中5盏因电缆被施工挖断不亮。"
    "区城管局已于3月6日更换电缆，全部路灯已恢复照明。根据《南昌市城市照明管理办法》，"
    "我局将每周巡查一次。如再发现路灯故障，可拨打城管服务电话0791-12319反映。感谢您的监督！"
)
RECEIPT = "网友您好！您的留言已收悉，已转相关部门调查处理，敬请关注后续回复，谢谢！"


def test_a_specific_answer_outscores_a_receipt_and_says_why():
    good = score_reply(TITLE, CONTENT, SPECIFIC, working_days=3, limit=5)
    poor = score_reply(TITLE, CONTENT, RECEIPT, working_days=3, limit=5)
    assert good.score >= 70 and poor.score <= 20
    assert good.relevance >= 0.5 > poor.relevance
    assert good.completeness >= 0.75 and good.interpretability > poor.interpretability
    assert good.flags() == [] and {"boilerplate", "no_result"} <= set(poor.flags())
    assert all(0 <= part <= 1 for part in (good.relevance, good.completeness,
                                           good.interpretability, good.timeliness))  # fmt: skip


def test_passing_the_matter_on_is_evasion_and_handing_it_over_with_a_result_is_not():
    evasive = score_reply(TITLE, CONTENT, "您反映的问题不属于我局职责，建议您向有关单位咨询。")
    assert evasive.evasion and evasive.no_result
    handled = score_reply(
        TITLE, CONTENT, "经核实，丰和中大道路灯由区城管局管理，我局已将情况转交该局，"
        "该局已于3月6日修复路灯。",
    )  # fmt: skip
    assert not handled.evasion and not handled.no_result


def test_a_late_reply_loses_its_timeliness_by_three_times_the_limit():
    assert timeliness(5, 5) == 1 and timeliness(10, 5) == 0.5 and timeliness(20, 5) == 0
    assert timeliness(None, 5) is None
    on_time = score_reply(TITLE, CONTENT, SPECIFIC, working_days=2)
    late = score_reply(TITLE, CONTENT, SPECIFIC, working_days=15)
    assert late.score < on_time.score and late.timeliness == 0


def test_a_template_is_one_text_sent_to_matters_that_are_not_alike():
    index = TemplateIndex()
    messages = [
        "东湖区八一大道下水道堵塞，污水漫到路面。",
        "青山湖区某小学放学时门口交通拥堵严重。",
        "新建区长堎镇菜市场乱摆摊，占用消防通道。",
        "西湖区公交232路发车间隔太长，等车一个小时。",
    ]
    for key, message in enumerate(messages):
        reply = f"网友“UU00{key}”您好！您的留言已收悉，已转相关部门调查处理，谢谢！"
        index.add(key, message, reply)
    # the same matter sent twice by one citizen, answered twice alike: no template
    index.add(10, "红谷滩区丰和中大道路灯不亮两个月", SPECIFIC)
    index.add(11, "红谷滩区丰和中大道路灯不亮两个月了", SPECIFIC)
    assert [index.twins(key) for key in range(4)] == [3, 3, 3, 3]
    assert index.twins(10) == 0
    assert score_reply(messages[0], "", "好的", twins=index.twins(0)).boilerplate
