"""The compose stack as written: two web instances behind the proxy, two workers, one
SECRET_KEY from the stack's .env for all, the proxy's limits those the service documents, the
migrations once before the rest. `make stack-test` (scripts/stack_test.py, run by .ci/run
where Docker can start) brings it up and tries it; these read it on every test run."""

import re

import yaml

from tests.support import ROOT


def test_the_stack_runs_two_web_instances_behind_nginx_and_two_workers_on_one_key():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    for name in ("web", "worker", "migrate"):
        env = services[name]["environment"]
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), name  # required, from .env
        assert services[name]["volumes"] == ["models:/models"], name
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == 1
    assert "ports" not in services["web"]  # reached through the proxy only
    assert services["proxy"]["ports"] == ["${PROXY_PORT:-8080}:8080"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_proxy_buffers_and_limits_as_the_service_documents():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    for directive in ("client_header_timeout 10s", "client_body_timeout 30s",
                      "client_max_body_size 64k", "proxy_request_buffering on",
                      "proxy_buffering on", "server web:8000"):  # fmt: skip
        assert re.search(rf"^\s*{re.escape(directive)};", nginx, re.M), directive
    readme = (ROOT / "README.md").read_text()
    assert "client_header_timeout 10s" in readme and "client_max_body_size 64k" in readme
