"""GET /api/v1/reports/replies and the KPIs' 答复质量均分: how each department answers, from the
message facts, with the period's worst replies masked."""

import time_machine

from tests.support import MATTERS, SPECIFIC, TEMPLATE, message_body

PHONE = "13812345678"


def answered(api, official, handler, title, content, reply, department="360100-GAJ"):
    body = message_body(title=title, content=content)
    message = api.post("/api/v1/messages", json=body).get_json()
    path = f"/api/v1/messages/{message['id']}"
    official.post(f"{path}/dispatch", json={"department_code": department,
                                            "difficulty": "ordinary"})  # fmt: skip
    handler.post(f"{path}/start", json={})
    assert handler.post(f"{path}/reply", json={"reply": reply}).status_code == 200
    return message


def test_the_report_ranks_departments_by_their_replies_and_lists_the_worst_masked(
    api, client_as
):
    official = client_as("official", region_code="360100")
    police = client_as("handler", department_code="360100-GAJ")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        answered(api, official, police, "红谷滩区小区门口道路积水",
                 f"下雨积水，我的电话{PHONE}。", SPECIFIC)  # fmt: skip
        for title, content in MATTERS:
            answered(api, official, police, title, f"{content}联系{PHONE}", TEMPLATE)
        analyst = client_as("analyst")
        report = analyst.get("/api/v1/reports/replies?region=360100&period=month").get_json()
        kpis = analyst.get("/api/v1/kpis?region=360100&period=month").get_json()

    assert report["period"] == {"kind": "month", "first_day": "2026-03-01",
                                "last_day": "2026-03-31"}  # fmt: skip
    figures = report["figures"]
    assert figures["reply_quality_mean"]["replies"] == 5
    assert figures["reply_boilerplate_share"]["numerator"] == 4
    assert figures["reply_poor_share"]["numerator"] == 4
    assert figures["reply_on_time_rate"]["value"] == 1.0
    assert kpis["figures"]["reply_quality_mean"] == figures["reply_quality_mean"]
    (police_row,) = report["by_department"]
    assert police_row["department_code"] == "360100-GAJ"
    assert police_row["figures"]["reply_quality_mean"]["replies"] == 5
    worst = report["worst"]
    assert len(worst) == 5 and worst[-1]["reply"].startswith("经核实")
    assert [w["reply_quality"]["boilerplate"] for w in worst] == [True] * 4 + [False]
    assert all(PHONE not in (w["content"] or "") for w in worst)  # masked for analysts
    assert all(w["masked"] for w in worst)


def test_an_official_reads_the_replies_of_their_region_only(client_as):
    official = client_as("official", region_code="360700")
    assert official.get("/api/v1/reports/replies?region=360100").status_code == 404
    assert client_as("handler", department_code="360100-GAJ").get(
        "/api/v1/reports/replies"
    ).status_code == 403


def test_the_report_comes_as_a_workbook_by_the_api_and_by_the_command(
    api, client_as, runner, tmp_path
):
    from io import BytesIO

    from openpyxl import load_workbook

    official = client_as("official", region_code="360100")
    police = client_as("handler", department_code="360100-GAJ")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        answered(api, official, police, "红谷滩区小区门口道路积水",
                 f"下雨积水，我的电话{PHONE}。", f"{TEMPLATE}请联系{PHONE}")  # fmt: skip
        analyst = client_as("analyst")
        answer = analyst.get("/api/v1/reports/replies?region=360100&format=xlsx")
        table = analyst.get("/api/v1/reports/replies?region=360100&format=csv")
    assert answer.status_code == 200 and "replies-360100-month-2026-03-01.xlsx" in (
        answer.headers["Content-Disposition"]
    )
    book = load_workbook(BytesIO(answer.data))
    assert book.sheetnames == ["说明", "部门", "最差答复"]
    departments = list(book["部门"].values)
    assert departments[0][:4] == ("部门代码", "部门", "答复数", "答复质量均分")
    assert departments[2][0] == "360100-GAJ" and departments[2][2] == 1
    worst = list(book["最差答复"].values)[1]
    assert PHONE not in worst[2] and "套话" in worst[4]
    assert table.data.decode("utf-8-sig").splitlines()[0].startswith("部门代码,部门,答复数")

    output = tmp_path / "replies.xlsx"
    result = runner.invoke(args=["report", "replies", "--region", "360100", "--date", "2026-03",
                                 "--output", str(output)])  # fmt: skip
    assert result.exit_code == 0 and "1 replies, 1 departments" in result.output
    assert load_workbook(output).sheetnames == ["说明", "部门", "最差答复"]
    refused = runner.invoke(args=["report", "replies", "--date", "2026-03"])
    assert refused.exit_code == 2 and "--output" in refused.output
