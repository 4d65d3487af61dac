"""Every operation of the OpenAPI document, fuzzed (schemathesis) with a token of each role:
no answer is a 5xx, and every answer is one the document describes, in status, media type,
headers and body. 44 operations × 5 roles, positive and negative cases: at FUZZ_EXAMPLES=10,
some 15,000 a run (counted at the end of it)."""

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app
from tests.conftest import make_account

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


def answers_as_documented(case, app, token: str) -> None:
    SENT[case.meta.generation.mode.value if case.meta else "explicit"] += 1
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_app_as_documented(case, app, token_of):
    answers_as_documented(case, app, token_of("app"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_a_handler_as_documented(case, app, token_of):
    answers_as_documented(case, app, token_of("handler"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_official_as_documented(case, app, token_of):
    answers_as_documented(case, app, token_of("official"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_analyst_as_documented(case, app, token_of):
    answers_as_documented(case, app, token_of("analyst"))


@schema.parametrize()
@fuzzed
def test_every_operation_answers_an_admin_as_documented(case, app, token_of):
    answers_as_documented(case, app, token_of("admin"))
