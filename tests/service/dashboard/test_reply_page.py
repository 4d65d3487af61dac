"""The 答复质量 page: departments ranked by their replies' mean score, drill-down to a
department's replies, masked, and the page as a workbook."""

from io import BytesIO

import time_machine
from openpyxl import load_workbook

from tests.support import MATTERS, SPECIFIC, TEMPLATE, TokenClient, make_account, message_body

PHONE = "13812345678"


def test_the_page_ranks_departments_and_drills_into_their_replies_masked(app, api, signed_in):
    official = TokenClient(app.test_client(), make_account("official", region_code="360700")[1])
    staff = make_account("handler", department_code="360700-RSJ")[1]
    handler = TokenClient(app.test_client(), staff)
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for title, content in [("章贡区小区门口积水", "下雨积水"), *MATTERS]:
            body = message_body(title=f"赣州市{title}", content=f"{content}，电话{PHONE}")
            message = api.post("/api/v1/messages", json=body).get_json()
            path = f"/api/v1/messages/{message['id']}"
            dispatch = {"department_code": "360700-RSJ", "difficulty": "ordinary"}
            official.post(f"{path}/dispatch", json=dispatch)
            handler.post(f"{path}/start", json={})
            reply = SPECIFIC if title.startswith("章贡区") else f"{TEMPLATE}电话{PHONE}"
            assert handler.post(f"{path}/reply", json={"reply": reply}).status_code == 200
    # the session was opened now: the pages are asked now, of March's month
    march = "/dashboard/replies?period=month&date=2026-03-10"
    page = signed_in.get(march).get_data(as_text=True)
    drilled = signed_in.get(f"{march}&department=360700-RSJ")
    workbook = signed_in.get(f"{march}&format=xlsx")
    unknown = signed_in.get(f"{march}&department=NOPE")

    assert 'data-figure="reply_quality_mean"' in page and "答复 5 条" in page
    assert "department=360700-RSJ" in page and ">答复质量</a>" in page
    listed = drilled.get_data(as_text=True)
    assert drilled.status_code == 200 and "360700-RSJ的答复" in listed
    assert PHONE not in listed and "套话" in listed
    book = load_workbook(BytesIO(workbook.data))
    assert book.sheetnames == ["说明", "部门排名", "最差答复"]
    assert list(book["部门排名"].values)[2][0] == "360700-RSJ"
    assert unknown.status_code == 404 and "没有这个部门代码" in unknown.get_data(as_text=True)
