"""Every surface that shows citizens' words to officials and analysts shows them masked: the
masking corpus (tests/analytics/masking_corpus.py) loaded as messages, handling notes,
replies, ratings and rectification notes, then read back through the API, the theme report's
files, the dashboard's pages and files and the app's tracking view. A leak names its surface
and its row, every leak at once."""

import io
from datetime import timedelta

import openpyxl
import time_machine

from service.access import accounts
from tests.analytics.masking_corpus import PERSONAL
from tests.support import make_account, message_body, rating_body

PASSWORD = "correct horse battery"
#: A Tuesday morning in Shanghai: the day every default period and span below holds.
MORNING = "2026-03-10 09:00 +0800"
#: Each row's messages go to one of two counties of 南昌, two messages (two citizens) a row,
#: so that each row is a hot issue of its own and no county has more than a page can list.
COUNTIES = ("360102", "360103")
PLACES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def place_of(row: int) -> str:
    """A compound's name of the row's own (锦甲乙园): messages about two compounds are two hot
    issues."""
    return f"锦{PLACES[row % 22]}{PLACES[row // 22]}园"


def workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


def pages_of(reader, path: str, **query) -> str:
    """Every page of a paginated list, as text."""
    texts, page = [], 1
    while True:
        answer = reader.get(path, query_string={**query, "page": page, "page_size": 100})
        assert answer.status_code == 200, (path, answer.get_json())
        texts.append(answer.get_data(as_text=True))
        if not answer.get_json():
            return "\n".join(texts)
        page += 1


def load_corpus(api, handler, official) -> list[dict]:
    """The corpus as messages (the first of each row's pair dispatched with the row as the
    note, started and replied with the row), bad ratings whose comments are the rows (a burst
    from one device: each flagged), their cases' verification notes and their appeals' notes."""
    created = []
    for row, (text, _) in enumerate(PERSONAL):
        for twin, matter in enumerate(("垃圾站恶臭扰民", "垃圾站臭味太大")):
            body = message_body(
                title=f"{place_of(row)}{matter}，{text}"[:200],
                content=f"{place_of(row)}门口{matter}。{text}。希望有关部门尽快处理。",
                region_code=COUNTIES[row % 2],
            )
            answer = api.post("/api/v1/messages", json=body)
            assert answer.status_code == 201, answer.get_json()
            created.append(answer.get_json())
            if twin == 0:
                path = f"/api/v1/messages/{answer.get_json()['id']}"
                dispatch = {"department_code": "360100-GAJ", "difficulty": "ordinary", "note": text}
                assert official.post(f"{path}/dispatch", json=dispatch).status_code == 200
                assert handler.post(f"{path}/start", json={"note": text}).status_code == 200
                assert handler.post(f"{path}/reply", json={"reply": text}).status_code == 200
    for filler in ("排队太久", "态度一般"):
        api.post("/api/v1/ratings", json=rating_body(stars=1, comment=filler, device_id="d-1"))
    for text, _ in PERSONAL:
        rating = api.post(
            "/api/v1/ratings", json=rating_body(stars=1, comment=text, device_id="d-1")
        ).get_json()
        case = f"/api/v1/rectifications/{rating['rectification_id']}"
        assert handler.post(f"{case}/verify", json={"note": text}).status_code == 200
        appeal = {"rating_id": rating["id"], "reason": "malicious", "note": text}
        assert handler.post("/api/v1/appeals", json=appeal).status_code == 201
    return created


def read_api(official, analyst, api, created: list[dict]) -> dict[str, str]:
    shown = {}
    for role, reader in (("official", official), ("analyst", analyst)):
        shown[f"{role}: messages"] = pages_of(reader, "/api/v1/messages")
        shown[f"{role}: ratings"] = pages_of(reader, "/api/v1/ratings")
        shown[f"{role}: rectifications"] = pages_of(reader, "/api/v1/rectifications")
        shown[f"{role}: flags"] = pages_of(reader, "/api/v1/flags")
        if role == "official":  # analysts read no appeals
            shown[f"{role}: appeals"] = pages_of(reader, "/api/v1/appeals")
        shown[f"{role}: hot issues"] = "\n".join(
            reader.get("/api/v1/hot-issues", query_string={"region": county, "limit": 100})
            .get_data(as_text=True)
            for county in COUNTIES
        )
        for form in ("json", "csv"):
            shown[f"{role}: theme report {form}"] = reader.get(
                "/api/v1/reports/themes", query_string={"format": form, "region": "360100"}
            ).get_data(as_text=True)
        xlsx = reader.get("/api/v1/reports/themes?format=xlsx&region=360100")
        shown[f"{role}: theme report xlsx"] = workbook_text(xlsx.data)
    shown["official: one message, its events"] = "\n".join(
        official.get(f"/api/v1/messages/{m['id']}{tail}").get_data(as_text=True)
        for m in created[::2]  # the dispatched ones: with events
        for tail in ("", "/events")
    )
    shown["official: supervision"] = pages_of(
        official, "/api/v1/supervision", kind="overdue", now="2026-12-31T00:00:00+08:00"
    )
    shown["app: tracking view"] = "\n".join(
        api.get(f"/api/v1/messages/{m['tracking_code']}").get_data(as_text=True) for m in created
    )
    return shown


def read_dashboard(client, pages: tuple[str, ...]) -> dict[str, str]:
    shown = {}
    for page in pages:
        for county in COUNTIES:
            query = {"region": county}
            html = client.get(page, query_string=query)
            assert html.status_code == 200, page
            shown[f"dashboard {page}?region={county}"] = html.get_data(as_text=True)
            xlsx = client.get(page, query_string={**query, "format": "xlsx"})
            shown[f"dashboard {page}?region={county} xlsx"] = workbook_text(xlsx.data)
    return shown


def sign_in(client, role: str, **scope) -> None:
    account, _ = make_account(role, **scope)
    accounts.set_password(account, PASSWORD)
    page = client.get("/dashboard/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"name": account.name, "password": PASSWORD, "csrf_token": token, "next": ""}
    answer = client.post("/dashboard/sign-in", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)[-1500:]


def test_no_written_form_of_personal_data_reaches_any_masked_surface(api, client_as, client):
    with time_machine.travel(MORNING, tick=True) as clock:
        handler = client_as("handler", department_code="360100-GAJ")
        official = client_as("official", region_code="360100")
        analyst = client_as("analyst")
        created = load_corpus(api, handler, official)
        shown = read_api(official, analyst, api, created)
        sign_in(client, "official", region_code="360100")
        shown |= read_dashboard(
            client, ("/dashboard/", "/dashboard/map", "/dashboard/themes",
                     "/dashboard/messages", "/dashboard/hot-issues")
        )  # fmt: skip
        clock.shift(timedelta(days=92))  # every message overdue
        with client.application.app_context():  # a new browser: no CSRF token of the last one
            later = client.application.test_client()
            sign_in(later, "official", region_code="360100")
            shown |= read_dashboard(later, ("/dashboard/supervision",))
    assert all(shown.values())
    leaks = [
        (surface, text, secret)
        for surface, output in shown.items()
        for text, secrets in PERSONAL
        for secret in secrets
        if secret in output
    ]
    assert leaks == [], "\n".join(map(repr, leaks))
    # the corpus did reach the surfaces that list it: masked, not left out
    for surface in ("official: messages", "app: tracking view", "official: ratings",
                    "official: flags", "official: hot issues", "official: appeals",
                    "dashboard /dashboard/supervision?region=360102"):  # fmt: skip
        assert "138****" in shown[surface] or "150****" in shown[surface], surface
