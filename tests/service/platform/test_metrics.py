"""/metrics: off without METRICS_TOKEN, refused without it, and under load every metric the
README names moves: counted in each gunicorn process and summed at a scrape (multiprocess
mode), read from the database and Redis at the scrape, and served by a worker of its own."""

import json
import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from analytics.workdays import knows_year
from tests.support import ROOT, free_port, gunicorn, make_account, message_body, rating_body

TOKEN = "scrape-me"


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples named ``name`` whose labels include ``labels``."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


def test_metrics_are_off_without_a_token_and_refused_with_a_wrong_one(app, client):
    assert client.get("/metrics").status_code == 404
    app.config["METRICS_TOKEN"] = TOKEN
    refused = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert refused.get_json()["code"] == 401
    assert client.get("/metrics").status_code == 401
    served = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert served.status_code == 200 and served.mimetype == "text/plain"
    text = served.get_data(as_text=True)
    assert value(text, "minsheng_http_requests_total", route="/metrics", status="401") >= 2
    assert "minsheng_scoring_pending_rows" in text
    assert "minsheng_calendar_knows_next_year" in text


def test_a_scrape_counts_the_rows_waiting_and_the_age_of_the_oldest(app, api, client):
    app.config.update(METRICS_TOKEN=TOKEN, SCORING_MODE="off")  # stored pending, nothing queued
    for _ in range(3):
        assert api.post("/api/v1/messages", json=message_body()).status_code == 201
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(
        as_text=True
    )
    assert value(text, "minsheng_scoring_pending_rows", kind="message") == 3
    assert value(text, "minsheng_scoring_pending_rows", kind="rating") == 0
    assert value(text, "minsheng_scoring_pending_oldest_seconds", kind="message") >= 0
    assert value(text, "minsheng_scoring_pending_oldest_seconds", kind="rating") == 0


def test_a_limiter_storage_failure_is_counted_from_what_flask_limiter_logs(app):
    name, labels = "minsheng_rate_limit_storage_failures_total", {"outcome": "open"}
    before = REGISTRY.get_sample_value(name, labels) or 0
    logging.getLogger("flask-limiter").error("Failed to rate limit. Swallowing error")
    assert REGISTRY.get_sample_value(name, labels) == before + 1


class Scraper:
    def __init__(self, port: int, token: str | None = TOKEN) -> None:
        self.port, self.token = port, token

    def __call__(self) -> str:
        asked = urllib.request.Request(f"http://127.0.0.1:{self.port}/metrics")
        if self.token:
            asked.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(asked, timeout=30) as answer:
            return answer.read().decode()


def call(port: int, method: str, path: str, token: str, body: dict | None = None) -> int:
    asked = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(asked, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_under_load_every_metric_moves(app, database_uri, own_redis, tmp_path):
    app_token, analyst = make_account("app")[1], make_account("analyst")[1]
    settings = {
        "REDIS_URL": own_redis.url, "SCORING_MODE": "queue", "METRICS_TOKEN": TOKEN,
        "RATE_LIMITS_ENABLED": "1", "RATE_LIMIT_CITIZEN_MESSAGES": "2/minute",
        "REPORT_WAIT_SECONDS": "1", "FACTS_MAX_AGE_SECONDS": "1",
    }  # fmt: skip
    web, port = gunicorn(database_uri, tmp_path / "models", GUNICORN_WORKERS="2", **settings)
    scrape = Scraper(port)
    worker = None
    try:
        before = scrape()
        ratings = [rating_body() for _ in range(24)]
        with ThreadPoolExecutor(4) as pool:
            posted = list(pool.map(lambda b: call(port, "POST", "/api/v1/ratings", app_token, b),
                                   ratings))  # fmt: skip
        assert posted == [201] * 24
        same_citizen = [message_body(citizen_ref="u-busy") for _ in range(3)]
        assert [call(port, "POST", "/api/v1/messages", app_token, b) for b in same_citizen] == [
            201, 201, 429,
        ]  # fmt: skip
        # keywords and hot issues wait for a worker: none runs yet, so a 503 after 1 s
        assert call(port, "GET", "/api/v1/hot-issues", analyst) == 503
        waiting = scrape()

        rated = dict(method="POST", route="/api/v1/ratings", status="201")
        assert value(waiting, "minsheng_http_requests_total", **rated) - value(
            before, "minsheng_http_requests_total", **rated
        ) == 24, "each process's counts, summed"  # fmt: skip
        assert value(waiting, "minsheng_http_request_duration_seconds_count", **rated) >= 24
        assert value(waiting, "minsheng_http_requests_total", status="429") == 1
        assert value(waiting, "minsheng_http_requests_total", status="503") == 1
        assert value(waiting, "minsheng_scoring_pending_rows", kind="rating") == 24
        assert value(waiting, "minsheng_scoring_pending_rows", kind="message") == 2
        assert value(waiting, "minsheng_scoring_pending_oldest_seconds", kind="rating") > 0
        assert value(waiting, "minsheng_queue_jobs", queue="minsheng-scoring") >= 1

        from redis import Redis
        from rq import Queue

        # a job that cannot succeed, for the failed-job count
        Queue("minsheng-scoring", connection=Redis.from_url(own_redis.url)).enqueue(
            "service.scoring.queue.score_rows", "no-such-kind", []
        )
        worker_port = free_port()
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT,
            env={**os.environ, **settings, "DATABASE_URL": database_uri,
                 "MODEL_DIR": str(tmp_path / "models"), "LOG_LEVEL": "WARNING",
                 "WORKER_METRICS_BIND": f"127.0.0.1:{worker_port}"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            scored = scrape()
            if value(scored, "minsheng_scoring_pending_rows") == 0 and value(
                scored, "minsheng_queue_failed_jobs", queue="minsheng-scoring"
            ):
                break
            time.sleep(0.5)
        assert value(scored, "minsheng_scoring_pending_rows") == 0
        assert value(scored, "minsheng_scoring_pending_oldest_seconds") == 0
        assert value(scored, "minsheng_queue_failed_jobs", queue="minsheng-scoring") == 1
        assert value(scored, "minsheng_queue_jobs", queue="minsheng-scoring") == 0

        recounts = "minsheng_facts_recount_duration_seconds_count"
        while time.monotonic() < deadline:  # the worker recounts every FACTS_MAX_AGE_SECONDS
            on_worker = Scraper(worker_port, token=None)()
            if value(on_worker, recounts):
                break
            time.sleep(0.5)
        assert value(on_worker, "minsheng_scoring_duration_seconds_count", where="batch") >= 1
        assert value(on_worker, recounts) >= 1

        # built (its keywords on the worker: a 503 to retry until they are), then cached
        while call(port, "GET", "/api/v1/reports/themes", analyst) == 503:
            assert time.monotonic() < deadline
        assert call(port, "GET", "/api/v1/reports/themes", analyst) == 200
        read = scrape()
        assert value(read, "minsheng_report_cache_total", report="themes", result="miss") >= 1
        assert value(read, "minsheng_report_cache_total", report="themes", result="hit") >= 1
        assert value(read, "minsheng_facts_recount_duration_seconds_count") >= 1

        own_redis.kill()  # the limits' counts fall back to each process's memory
        assert call(port, "POST", "/api/v1/ratings", app_token, rating_body()) == 201
        down = scrape()
        assert value(down, "minsheng_rate_limit_storage_failures_total", outcome="memory") >= 1
        assert "minsheng_queue_jobs" not in down  # Redis does not answer: left out, not a 500
        next_year = time.gmtime().tm_year + 1
        assert value(down, "minsheng_calendar_knows_next_year") == knows_year(next_year)
    finally:
        for process in (web, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def test_the_dashboard_and_alerts_read_only_metrics_the_service_exports_and_show_each(
    app, client, own_redis
):
    import re

    import yaml

    from service.platform.metrics import State

    app.config["REDIS_URL"] = own_redis.url  # the queues' too
    families = [*REGISTRY.collect(), *State().collect()]
    exported = {family.name for family in families if family.name.startswith("minsheng_")}
    assert exported == {
        "minsheng_http_requests", "minsheng_http_request_duration_seconds",
        "minsheng_scoring_duration_seconds", "minsheng_facts_recount_duration_seconds",
        "minsheng_report_cache", "minsheng_rate_limit_storage_failures",
        "minsheng_scoring_pending_rows", "minsheng_scoring_pending_oldest_seconds",
        "minsheng_queue_jobs", "minsheng_queue_failed_jobs", "minsheng_calendar_knows_next_year",
    }  # fmt: skip
    deploy = ROOT / "deploy"
    dashboard = json.loads((deploy / "grafana" / "dashboards" / "minsheng.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    rules = yaml.safe_load((deploy / "alerts.yml").read_text())["groups"][0]["rules"]
    named = re.compile(r"minsheng_[a-z_]+?(?=_total|_bucket|_count|_sum|\b)")
    in_dashboard = {name for expr in exprs for name in named.findall(expr)}
    in_alerts = {name for rule in rules for name in named.findall(rule["expr"])}
    assert in_dashboard == exported, "one panel at least for each metric, and none unknown"
    assert in_alerts <= exported
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounted = [v.split(":")[0] for name in ("prometheus", "grafana", "proxy")
               for v in compose["services"][name]["volumes"]]  # fmt: skip
    assert all((ROOT / path).exists() for path in mounted)
    scraped = yaml.safe_load((deploy / "prometheus.yml").read_text())["scrape_configs"]
    assert {job["job_name"] for job in scraped} == {"minsheng-web", "minsheng-worker"}
