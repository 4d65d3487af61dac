"""Soak benchmark, queue mode: ``make bench-soak`` (or ``.venv/bin/python bench/soak.py``).

On PostgreSQL and Redis, with gunicorn (GUNICORN_WORKERS × GUNICORN_THREADS) in queue mode:
1. Intake against its yardstick: closed-loop posts of ratings, then of messages (real texts
   cut at 40, 400 and 2,000 characters), in queue mode and with SCORING_MODE=off (the same
   intake, nothing enqueued), no worker running in either, so that the figure is the
   intake's own. The two servers run side by side and the load alternates between them in
   INTAKE_PAIRS pairs of SLICE_SECONDS slices; the median of the pairs' ratios.
2. The soak: SOAK_WORKERS scoring workers, and an open-loop mix for SOAK_SECONDS at fixed
   rates: message posts (SOAK_MESSAGE_RATE, 400 characters each), rating posts, status
   checks by tracking code, KPI reads and theme report reads. It prints req/s, p50/p99 and
   errors per kind, the queue lag (a message's acceptance to its scores, from the rows
   themselves) p50/p99, the web workers' RSS, and the counts posted / stored / scored, which
   must be equal.

Settings: BENCH_DATABASE_URL (dropped and re-created; default
postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_soak), BENCH_REDIS_URL (flushed; default
redis://127.0.0.1:6379/13), SLICE_SECONDS (4), INTAKE_PAIRS (8), SOAK_SECONDS (180),
SOAK_WORKERS (2), SOAK_MESSAGE_RATE (100), GUNICORN_WORKERS (2), GUNICORN_THREADS (4),
FACTS_MAX_AGE_SECONDS (5, as docker-compose.yml sets it).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402
from bench.intake import (  # noqa: E402
    load_texts,
    post,
    rating_bodies,
    start_gunicorn,
    stop,
    worker_rss_mb,
)
from bench.load import Stream, cycle, request_bytes, run_load, run_open_loop  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_soak"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
SLICE_SECONDS = float(os.environ.get("SLICE_SECONDS", 4))
INTAKE_PAIRS = int(os.environ.get("INTAKE_PAIRS", 8))
MESSAGE_LENGTHS = (40, 400, 2000)
SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", 180))
SOAK_WORKERS = int(os.environ.get("SOAK_WORKERS", 2))
MESSAGE_RATE = float(os.environ.get("SOAK_MESSAGE_RATE", 100))
PORT = 8741
ITEM = "360100-GAJ-001"
# As docker-compose.yml deploys it: reads recount today's facts at most every 5 s.
ENV = {"DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL, "LOG_LEVEL": "WARNING",
       "FACTS_MAX_AGE_SECONDS": os.environ.get("FACTS_MAX_AGE_SECONDS", "5")}  # fmt: skip


def flask(*args: str, extra: dict | None = None) -> str:
    env = {**os.environ, **ENV, **(extra or {})}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def token(role: str) -> str:
    return flask("accounts", "create", "--role", role, "--name", f"soak-{role}").split()[-1]


def messages_of(texts: list[str], length: int):
    """Real messages cut at ``length`` characters (from those at least that long)."""
    chosen = [t[:length] for t in texts if len(t) >= length] or texts
    for text in cycle(chosen):
        yield {"type": "投诉", "title": text[:20], "content": text}


def get(path: str, bearer: str):
    headers = {"Authorization": f"Bearer {bearer}"}
    return lambda: request_bytes("GET", path, headers)


def intake_ratio(texts: list[str], app_token: str) -> None:
    """Closed-loop intake, queue mode against SCORING_MODE=off, no worker running.

    Both servers run side by side, idle but for the one being loaded, and the load alternates
    between them in short slices (off, queue; queue, off; …): whatever drifts on the machine
    over minutes (rows piling up, PostgreSQL's checkpoints, a neighbour's load) falls on both
    alike. Each pair of slices gives a ratio; the figure is their median, with the quartiles."""
    print(f"\n## intake, {INTAKE_PAIRS} pairs of {SLICE_SECONDS:.0f} s slices per kind, "
          "32 connections, no worker running")  # fmt: skip
    ports = {"off": PORT + 1, "queue": PORT + 2}
    servers = [
        start_gunicorn("wsgi:app", port, {**ENV, "SCORING_MODE": mode})
        for mode, port in ports.items()
    ]
    kinds = [("ratings", "/api/v1/ratings", rating_bodies(ITEM))] + [
        (f"messages of {n} characters", "/api/v1/messages", messages_of(texts, n))
        for n in MESSAGE_LENGTHS
    ]
    try:
        for name, path, bodies in kinds:
            ratios, rates = [], {"off": [], "queue": []}
            for pair in range(INTAKE_PAIRS):
                figures = {}
                for mode in ("off", "queue") if pair % 2 == 0 else ("queue", "off"):
                    result = run_load(f"{name} ({mode})", ports[mode],
                                      post(path, app_token, bodies),
                                      seconds=SLICE_SECONDS, warmup=1)  # fmt: skip
                    figures[mode] = result.requests_per_second
                    rates[mode].append(result.requests_per_second)
                ratios.append(figures["queue"] / figures["off"])
            low, median, high = statistics.quantiles(ratios, n=4)
            print(f"{name}: off {statistics.median(rates['off']):.1f} req/s, queue "
                  f"{statistics.median(rates['queue']):.1f} req/s (medians); queue mode at "
                  f"{median:.2f} of scoring off (quartiles {low:.2f}–{high:.2f}, "
                  f"{INTAKE_PAIRS} pairs)")  # fmt: skip
    finally:
        for server in servers:
            stop(server)


def soak(texts: list[str], app_token: str, analyst: str) -> None:
    print(f"\n## soak, {SOAK_SECONDS:.0f} s, {SOAK_WORKERS} scoring workers")
    server = start_gunicorn("wsgi:app", PORT, {**ENV, "SCORING_MODE": "queue"})
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT,
            env={**os.environ, **ENV, "SCORING_MODE": "queue"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(SOAK_WORKERS)
    ]  # fmt: skip
    # The intake phases left rows pending: queue them all and let the workers clear them, so
    # that the soak starts on an empty queue.
    flask("sweep", extra={"SWEEP_AFTER_SECONDS": "0", "SCORING_MODE": "queue"})
    cleared = wait_until_scored(datetime(2000, 1, 1, tzinfo=UTC))
    print(f"the {SOAK_WORKERS} workers cleared the intake phases' rows in {cleared:.0f} s")
    with psycopg.connect(DATABASE_URL.replace("+psycopg", "")) as connection:
        codes = [
            row[0] for row in connection.execute("SELECT tracking_code FROM messages LIMIT 200")
        ]
        before = connection.execute("SELECT now()").fetchone()[0]
    messages = post("/api/v1/messages", app_token, messages_of(texts, 400))
    ratings = post("/api/v1/ratings", app_token, rating_bodies(ITEM))
    streams = [
        Stream("POST messages", MESSAGE_RATE, messages),
        Stream("POST ratings", MESSAGE_RATE / 5, ratings),
        Stream("GET status", MESSAGE_RATE / 10, status_checks(codes, app_token)),
        Stream("GET kpis", 1, get("/api/v1/kpis?period=month", analyst)),
        Stream("GET reports/themes", 0.5, get("/api/v1/reports/themes?period=month", analyst)),
    ]  # fmt: skip
    try:
        results = run_open_loop(PORT, streams, SOAK_SECONDS)
        rss = worker_rss_mb(server.pid)
        for result in results.values():
            print(result.line())
        print(f"web worker RSS at the end: {', '.join(f'{r:.0f} MB' for r in rss)}")
        drained = wait_until_scored(before)
        report_lag_and_counts(before, results, drained)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        stop(server)


def status_checks(codes: list[str], app_token: str):
    headers = {"Authorization": f"Bearer {app_token}"}
    paths = cycle([f"/api/v1/messages/{code}" for code in codes])
    return lambda: request_bytes("GET", next(paths), headers)


def pending_since(connection, before) -> int:
    query = """SELECT (SELECT count(*) FROM messages WHERE created_at >= %(t)s
                       AND sentiment_model = 'pending')
                    + (SELECT count(*) FROM ratings WHERE created_at >= %(t)s
                       AND sentiment_model = 'pending')"""
    return connection.execute(query, {"t": before}).fetchone()[0]


def wait_until_scored(before) -> float:
    """Seconds until nothing posted since ``before`` is pending (or 600 s)."""
    started = time.perf_counter()
    with psycopg.connect(DATABASE_URL.replace("+psycopg", ""), autocommit=True) as connection:
        while pending_since(connection, before) and time.perf_counter() - started < 600:
            time.sleep(0.5)
    return time.perf_counter() - started


def report_lag_and_counts(before, results, drained: float) -> None:
    with psycopg.connect(DATABASE_URL.replace("+psycopg", "")) as connection:
        lag = connection.execute(
            """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s),
                      percentile_cont(0.99) WITHIN GROUP (ORDER BY s), max(s)
               FROM (SELECT extract(epoch FROM updated_at - created_at) AS s FROM messages
                     WHERE created_at >= %(t)s AND sentiment_model <> 'pending') lags""",
            {"t": before},
        ).fetchone()
        counts = {}
        for table in ("messages", "ratings"):
            stored, scored = connection.execute(
                f"SELECT count(*), count(*) FILTER (WHERE sentiment_model <> 'pending') "
                f"FROM {table} WHERE created_at >= %(t)s",
                {"t": before},
            ).fetchone()
            counts[table] = (stored, scored)
    p50, p99, most = lag
    print(f"queue lag (accepted → scored): p50 {p50:.2f} s   p99 {p99:.2f} s   max {most:.2f} s")
    print(f"the queue was empty {drained:.1f} s after the load ended")
    for table, name in (("messages", "POST messages"), ("ratings", "POST ratings")):
        posted = results[name].statuses.get(201, 0)
        stored, scored = counts[table]
        print(f"{table}: posted {posted}, stored {stored}, scored {scored}")


def main() -> None:
    fresh_database(DATABASE_URL)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    texts = load_texts()
    print(
        f"# soak benchmark, {date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL and Redis on the same machine"
    )
    app_token, analyst = token("app"), token("analyst")
    os.environ["RATE_LIMIT_CITIZEN_MESSAGES"] = "1000000 per second"
    intake_ratio(texts, app_token)
    soak(texts, app_token, analyst)


if __name__ == "__main__":
    main()
