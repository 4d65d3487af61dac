"""In queue mode the costly parts of the reports (keywords, hot issues) are built on a worker:
the web process that serves them loads no NLP model. Without a worker the wait ends in a 503;
without Redis they are built in the request."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support import make_account, post_compound, require_service

ROOT = Path(__file__).resolve().parents[3]
HEAVY = {"jieba", "numpy", "scipy", "sklearn", "snownlp"}
WEB = textwrap.dedent(
    """
    import json, os, sys
    from service import create_app

    app = create_app()
    headers = {"Authorization": "Bearer " + os.environ["TOKEN"]}
    with app.test_client() as client:
        report = client.get("/api/v1/reports/themes", headers=headers)
        hot = client.get("/api/v1/hot-issues", headers=headers)
    loaded = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))
    print(json.dumps({"report": report.get_json(), "hot": hot.get_json(), "loaded": loaded}))
    """
)


def test_a_web_process_in_queue_mode_serves_keywords_and_hot_issues_with_no_nlp_loaded(
    api, database_uri, own_redis, tmp_path
):
    post_compound(api)
    token = make_account("analyst")[1]
    env = {**os.environ, "DATABASE_URL": database_uri, "REDIS_URL": own_redis.url,
           "SCORING_MODE": "queue", "MODEL_DIR": str(tmp_path / "models"),
           "RATE_LIMITS_ENABLED": "0", "LOG_LEVEL": "WARNING", "TOKEN": token}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        web = subprocess.run(
            [sys.executable, "-c", WEB, *HEAVY], cwd=ROOT, env=env, capture_output=True,
            text=True, timeout=120, check=True,
        )  # fmt: skip
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    answer = json.loads(web.stdout.splitlines()[-1])
    assert answer["loaded"] == []
    assert answer["report"]["hot_issues"][0]["citizens"] == 3
    assert any("垃圾" in row["keywords"] for row in answer["report"]["themes"])
    assert answer["hot"][0]["place"].startswith("翠湖苑")


def test_keywords_and_hot_issues_no_worker_builds_in_time_are_a_503_to_retry(app, client_as):
    url = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    app.config.update(
        REDIS_URL=url, SCORING_MODE="queue", REPORT_WAIT_SECONDS=1,
        REPORT_QUEUE=f"test-{os.urandom(4).hex()}",
    )  # fmt: skip
    response = client_as("analyst").get("/api/v1/hot-issues")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["code"] == 503


def test_with_redis_unreachable_keywords_and_hot_issues_are_built_in_the_request(
    app, api, client_as
):
    post_compound(api)
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", SCORING_MODE="queue")
    report = client_as("analyst").get("/api/v1/reports/themes")
    assert report.status_code == 200
    assert report.get_json()["hot_issues"][0]["citizens"] == 3
