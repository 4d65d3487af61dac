"""Intake benchmark: gunicorn on PostgreSQL, loaded over loopback; prints the figures that
BENCHMARKS.md records. Run with ``make bench`` (or ``.venv/bin/python bench/intake.py``).

Phases, each after a warm-up, with 32 keep-alive connections:
- the yardstick: a bare Flask view inserting the same rating row (bench/bare_app.py);
- ``GET /healthz``, ``POST /api/v1/ratings`` (short 好差评 comments) and ``POST /api/v1/messages``
  (real citizen messages clipped to 400 characters, scored inline);
- ``POST /api/v1/ratings`` again with rate limiting off, for the limiter's cost;
- then the workers' RSS, and sentiment texts/s of this project against plain
  ``SnowNLP(t).sentiments`` on the same 90-character texts, each in its own process.

Settings from the environment: BENCH_DATABASE_URL (a database it may drop and re-create,
default postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench), BENCH_SECONDS (10),
BENCH_ROUNDS (2), BENCH_CONNECTIONS (32), GUNICORN_WORKERS (2), GUNICORN_THREADS (4).
Needs ../shared/data/teddy2020/附件4.xlsx for the message texts.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import psycopg
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402
from bench.load import cycle, request_bytes, run_load  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "teddy2020" / "附件4.xlsx"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench"
)
SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 2))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))
WORKERS = os.environ.get("GUNICORN_WORKERS", "2")
THREADS = os.environ.get("GUNICORN_THREADS", "4")
PORT, BARE_PORT = 8731, 8732

# Short comments of the kind 好差评 gets most, with their stars.
COMMENTS = [
    (5, "非常满意"),
    (5, "办事效率高，工作人员态度很好"),
    (4, "满意"),
    (5, "一次办好，点赞"),
    (4, "流程清楚，很方便"),
    (3, "一般"),
    (3, "还行，就是排队有点久"),
    (2, "不满意"),
    (1, "非常不满意，跑了三趟还没办成"),
    (2, "窗口人员态度冷淡"),
    (5, "没有问题"),
    (4, "不差"),
    (1, "系统老是卡，提交不了"),
    (5, "感谢工作人员耐心解答"),
    (2, "材料要求说不清楚"),
    (3, None),
]


def load_texts() -> list[str]:
    if not DATA.exists():
        sys.exit(f"bench needs the real messages at {DATA} (../shared/data); not found")
    sheet = load_workbook(DATA, read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    column = header.index("留言详情")
    return [" ".join(str(r[column]).split()) for r in rows if r[column]]


def flask(*args: str) -> str:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def start_gunicorn(app: str, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": WORKERS,
        "GUNICORN_THREADS": THREADS,
        "LOG_LEVEL": "WARNING",
        # One account posts everything here: limits stay on (their cost is measured) but high.
        "RATE_LIMIT_WRITE": "1000000 per second",
        "RATE_LIMIT_READ": "1000000 per second",
        **(extra_env or {}),  # another benchmark's database, say
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError as error:
            if getattr(error, "code", None) == 404:  # the bare app has no /healthz: it is up
                return process
            time.sleep(0.1)
    process.kill()
    sys.exit(f"gunicorn {app} did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def worker_rss_mb(master: int) -> list[float]:
    rss = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0").strip()) == master:
            rss.append(int(fields["VmRSS"].split()[0]) / 1024)
    return rss


def post(path: str, token: str | None, bodies) -> callable:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return lambda: request_bytes("POST", path, headers, json.dumps(next(bodies)).encode())


def rating_bodies(item_code: str):
    for n in cycle(range(10**9)):
        stars, comment = COMMENTS[n % len(COMMENTS)]
        body = {"stars": stars, "transaction_id": uuid.uuid4().hex, "service_item_code": item_code}
        if comment:
            body["comment"] = comment
        yield body


def message_bodies(texts: list[str]):
    for text in cycle(texts):
        yield {"type": "投诉", "title": text[:20], "content": text}


SCORING = {
    "minsheng": (
        "from analytics.sentiment import load_model; m = load_model(); m.probabilities('预热')",
        "m.probabilities(t)",
    ),
    "snownlp": ("from snownlp import SnowNLP; SnowNLP('预热').sentiments", "SnowNLP(t).sentiments"),
}


def sentiment_rate(engine: str, texts: list[str], passes: int) -> dict:
    """Texts per second after loading (over ``passes`` passes through ``texts``), load seconds
    and peak RSS, in a fresh process."""
    setup, call = SCORING[engine]
    code = f"""
import json, resource, sys, time
started = time.perf_counter()
{setup}
loaded = time.perf_counter() - started
texts = json.load(sys.stdin) * {passes}
started = time.perf_counter()
for t in texts:
    {call}
elapsed = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"per_second": len(texts) / elapsed, "load_seconds": loaded, "rss_mb": rss}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    texts = load_texts()
    long_texts = [t[:400] for t in texts if len(t) >= 400]
    texts_90 = [t[:90] for t in texts if len(t) >= 90][:300]
    print(
        f"# intake benchmark, {date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {WORKERS} workers x {THREADS} threads, "
        f"{CONNECTIONS} connections, {SECONDS:.0f} s per phase, {ROUNDS} rounds"
    )
    fresh_database(DATABASE_URL)
    token = flask("accounts", "create", "--role", "app", "--name", "bench").strip().splitlines()[-1]
    with psycopg.connect(DATABASE_URL.replace("+psycopg", "")) as connection:
        item_id, department_id, region, code = connection.execute(
            "SELECT s.id, d.id, d.region_code, s.code FROM service_items s"
            " JOIN departments d ON d.id = s.department_id ORDER BY s.code LIMIT 1"
        ).fetchone()
        account_id = connection.execute("SELECT id FROM accounts").fetchone()[0]
    bare_env = {
        "BENCH_SERVICE_ITEM_ID": str(item_id),
        "BENCH_DEPARTMENT_ID": str(department_id),
        "BENCH_REGION_CODE": region,
        "BENCH_ACCOUNT_ID": str(account_id),
    }

    results: dict[str, list] = {}
    rss: list[float] = []
    for _ in range(ROUNDS):
        bare = start_gunicorn("bench.bare_app:app", BARE_PORT, bare_env)
        results.setdefault("bare view, ratings", []).append(
            run_load(
                "bare view POST ratings",
                BARE_PORT,
                post("/api/v1/ratings", None, rating_bodies(code)),
                connections=CONNECTIONS,
                seconds=SECONDS,
            )
        )
        stop(bare)
        ours = start_gunicorn("wsgi:app", PORT)
        phases = {
            "GET /healthz": lambda: request_bytes("GET", "/healthz", {}),
            "POST /api/v1/ratings": post("/api/v1/ratings", token, rating_bodies(code)),
            "POST /api/v1/messages": post("/api/v1/messages", token, message_bodies(long_texts)),
        }
        for name, make in phases.items():
            results.setdefault(name, []).append(
                run_load(name, PORT, make, connections=CONNECTIONS, seconds=SECONDS)
            )
        rss += worker_rss_mb(ours.pid)
        stop(ours)
        # The same rating intake without rate limiting: what the limiter costs, in this run.
        unlimited = start_gunicorn("wsgi:app", PORT, {"RATE_LIMITS_ENABLED": "0"})
        results.setdefault("POST ratings, no rate limits", []).append(
            run_load(
                "POST ratings, no rate limits",
                PORT,
                post("/api/v1/ratings", token, rating_bodies(code)),
                connections=CONNECTIONS,
                seconds=SECONDS,
            )
        )
        stop(unlimited)

    print("\n## HTTP (each round)")
    for runs in results.values():
        for result in runs:
            print(result.line())
    print("\n## HTTP (median of rounds)")
    for name, runs in results.items():
        rate = statistics.median(r.requests_per_second for r in runs)
        p99 = statistics.median(r.percentile(99) for r in runs)
        errors = sum(r.errors for r in runs)
        print(f"{name:<28} {rate:8.1f} req/s   p99 {p99:6.1f} ms   errors {errors}")
    pairs = zip(results["POST /api/v1/ratings"], results["bare view, ratings"], strict=True)
    ratios = [ours.requests_per_second / bare.requests_per_second for ours, bare in pairs]
    print(f"ratings / bare view, each round: {', '.join(f'{r:.2f}' for r in ratios)}")
    pairs = zip(
        results["POST /api/v1/ratings"], results["POST ratings, no rate limits"], strict=True
    )
    limited = [a.requests_per_second / b.requests_per_second for a, b in pairs]
    print(
        f"ratings with / without rate limits, each round: {', '.join(f'{r:.2f}' for r in limited)}"
    )
    print(f"worker RSS after serving all phases: {', '.join(f'{r:.0f} MB' for r in rss)}")

    print(
        f"\n## Sentiment, {len(texts_90)} real 90-character texts, each engine in its own process"
    )
    # Ours is timed over 10 passes, so that both timings last seconds, not milliseconds.
    ours_rate = sentiment_rate("minsheng", texts_90, passes=10)
    plain = sentiment_rate("snownlp", texts_90, passes=1)
    for name, figures in (("minsheng (jieba + Bayes)", ours_rate), ("plain SnowNLP", plain)):
        print(
            f"{name:<26} {figures['per_second']:8.1f} texts/s"
            f"   load {figures['load_seconds']:.2f} s   peak RSS {figures['rss_mb']:.0f} MB"
        )
    print(f"speed-up: {ours_rate['per_second'] / plain['per_second']:.1f}x")


if __name__ == "__main__":
    main()
