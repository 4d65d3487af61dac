"""Every operation of the OpenAPI document, fuzzed (schemathesis) with a token of each role:
no answer is a 5xx, and every answer is one the document describes, in status, media type,
headers and body. 44 operations × 5 roles, positive and negative cases: at FUZZ_EXAMPLES=10,
some 15,000 a run (counted at the end of it).

The codes a body names (regions, departments, service items, themes) are free strings in the
document, and a string made up at random names nothing: no generated case created a message
or a rating. So the generated ones are mapped onto the codes in the test's database (a
``map_body`` hook), the same string onto the same code, and made to agree with each other as
the intake requires (a service item's department, a department's region, a channel's
sub-indicators); message types are an enum in the document itself."""

import os
import zlib
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app, store
from service.vocabulary import OFFLINE_SUB_SCORES, ONLINE_CHANNELS, ONLINE_SUB_SCORES
from tests.support import make_account

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 10))
SCOPES = {
    "handler": {"department_code": "360100-GAJ"},
    "official": {"region_code": "360100"},
    "analyst": {},
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The document, read from an app of its own (it needs no database); each case is then sent to
# the test's app, with the test's database.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
)


#: The test database's codes, by the body field that names one (filled by ``real_codes``).
CODES: dict[str, list[str]] = {}


@pytest.fixture
def real_codes(app) -> dict[str, list[str]]:
    """The reference data and themes the migrations seeded, read from the test's database."""
    catalog = store.reference.fetch_catalog()
    CODES.update(
        region_code=sorted(store.reference.fetch_region_index().divisions),
        department_code=sorted(catalog.departments),
        service_item_code=sorted(catalog.service_items),
        theme_code=sorted(store.taxonomy.fetch_taxonomy().themes),
    )
    CODES["parent_code"] = CODES["theme_code"]
    yield CODES
    CODES.clear()


@schema.hook
def map_body(context, body):
    """A generated code becomes one of the database's (picked by the string's CRC, so that a
    derandomized run sends the same cases); a service item brings its department, and a
    department its region, where the body names them."""
    if not CODES or not isinstance(body, dict):
        return body
    body = dict(body)
    for field, codes in CODES.items():
        if isinstance(body.get(field), str):
            body[field] = codes[zlib.crc32(body[field].encode("utf-8", "replace")) % len(codes)]
    catalog = store.reference.fetch_catalog()
    item = catalog.service_items.get(_text(body.get("service_item_code")))
    if item is not None and "department_code" in body:
        body["department_code"] = item.department.code
    department = (
        item.department if item else catalog.departments.get(_text(body.get("department_code")))
    )
    if department is not None and "region_code" in body:
        body["region_code"] = department.region_code
    if isinstance(body.get("scores"), dict):  # a rating's sub-indicators are its channel's
        online = body.get("channel", "app") in ONLINE_CHANNELS
        allowed = ONLINE_SUB_SCORES if online else OFFLINE_SUB_SCORES
        body["scores"] = {name: n for name, n in body["scores"].items() if name in allowed}
    return body


def _text(value) -> str:
    return value if isinstance(value, str) else ""  # a negative case may send any JSON


@pytest.fixture
def token_of(app):
    made: dict[str, str] = {}

    def token(role: str) -> str:
        if role not in made:
            made[role] = make_account(role, **SCOPES.get(role, {}))[1]
        return made[role]

    return token


# In CI the same cases every run, so that main stays green and a failure reproduces; anywhere
# else new ones each run, to find what CI's never send (FUZZ_RANDOM=0 or 1 to choose).
RANDOM = os.environ.get("FUZZ_RANDOM", "0" if os.environ.get("CI") else "1") == "1"
fuzzed = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    suppress_health_check=list(HealthCheck),
)


#: Cases sent, by mode (positive: as the document allows; negative: as it forbids); the
#: total is printed at the end of the run (tests/conftest.py).
SENT: Counter = Counter()


#: Cases that created something, by what they created ("POST /api/v1/messages 201").
CREATED: Counter = Counter()


def answers_as_documented(case, app, token: str) -> None:
    SENT[case.meta.generation.mode.value if case.meta else "explicit"] += 1
    response = case.call_and_validate(
        app=app, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
    )
    if response.status_code == 201:
        CREATED[f"{case.method} {case.path}"] += 1


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_app_as_documented(case, app, token_of, real_codes):
    answers_as_documented(case, app, token_of("app"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_a_handler_as_documented(case, app, token_of, real_codes):
    answers_as_documented(case, app, token_of("handler"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_official_as_documented(case, app, token_of, real_codes):
    answers_as_documented(case, app, token_of("official"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_analyst_as_documented(case, app, token_of, real_codes):
    answers_as_documented(case, app, token_of("analyst"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_admin_as_documented(case, app, token_of, real_codes):
    answers_as_documented(case, app, token_of("admin"))


INTAKE = ["/api/v1/messages", "/api/v1/ratings"]


@pytest.mark.parametrize("path", INTAKE)
def test_most_generated_cases_of_the_intake_create_what_they_send(app, token_of, real_codes, path):
    """What the document allows, generated, is taken in: a message or a rating is created,
    not refused for a code that names nothing (before, none of them was)."""
    statuses: Counter = Counter()
    token = token_of("app")

    @fuzzed
    @given(case=schema[path]["POST"].as_strategy())
    def send(case) -> None:
        response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
        statuses[response.status_code] += 1

    send()
    assert statuses[201] >= sum(statuses.values()) / 2, statuses
