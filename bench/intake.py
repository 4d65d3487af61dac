"""Intake benchmark: gunicorn on PostgreSQL and Redis, loaded over loopback; prints the figures
that BENCHMARKS.md records. Run with ``make bench`` (or ``.venv/bin/python bench/intake.py``).

Each round, with 32 keep-alive connections and a warm-up before each phase:
- the yardstick: bare Flask views inserting the same rating and message rows
  (bench/bare_app.py), under the same gunicorn settings;
- the service with inline scoring, then in queue mode, each with its rate limits on as shipped
  (counted in Redis, as every deployment of more than one worker does): ``POST
  /api/v1/ratings`` (short 好差评 comments) and ``POST /api/v1/messages`` (real citizen
  messages clipped to 400 characters, each from a citizen of its own); then its workers' RSS;
- after each phase the database is analyzed, as autovacuum would (bench/databases.py);
- then sentiment texts/s of this project against plain ``SnowNLP(t).sentiments`` on the same
  90-character texts, each in its own process.

``--against REF`` also serves the service as it was at git commit REF (checked out into a
temporary worktree, on the same database), in the same rounds, and prints new against old.

Settings from the environment: BENCH_DATABASE_URL (a database it may drop and re-create,
default postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench), BENCH_REDIS_URL (a Redis
database it may empty, default redis://127.0.0.1:6379/14), BENCH_SECONDS (10), BENCH_ROUNDS
(2), BENCH_CONNECTIONS (32), GUNICORN_WORKERS (2), GUNICORN_THREADS (4).
Needs ../shared/data/teddy2020/附件4.xlsx for the message texts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import psycopg
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import analyze, fresh_database  # noqa: E402
from bench.load import cycle, request_bytes, run_load  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "teddy2020" / "附件4.xlsx"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
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


def start_gunicorn(
    app: str, port: int, extra_env: dict | None = None, root: Path = ROOT
) -> subprocess.Popen:
    """gunicorn serving ``app`` from the checkout at ``root`` (this one by default)."""
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": WORKERS,
        "GUNICORN_THREADS": THREADS,
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),  # another benchmark's database, a scoring mode
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
    process = subprocess.Popen(command, cwd=root, env=env, stderr=subprocess.DEVNULL)
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
        citizen = uuid.uuid4().hex  # each citizen's own limit counted, none reached
        yield {"type": "投诉", "title": text[:20], "content": text, "citizen_ref": citizen}


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


#: The service's modes, each with its rate limits on as shipped, counted in Redis.
MODES = {
    "inline": {"SCORING_MODE": "inline", "REDIS_URL": REDIS_URL},
    "queue": {"SCORING_MODE": "queue", "REDIS_URL": REDIS_URL},
}


def empty_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@contextlib.contextmanager
def checkout(ref: str):
    """The project at git commit ``ref``, in a temporary worktree."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "old"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(path), ref], check=True,
                       capture_output=True)  # fmt: skip
        try:
            yield path
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(path)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", metavar="REF", help="also serve the code of this commit")
    against = parser.parse_args().against
    with contextlib.ExitStack() as stack:
        services = {"": ROOT}
        if against:
            services[f" @{against}"] = stack.enter_context(checkout(against))
        run(services)


def run(services: dict[str, Path]) -> None:
    """Load the bare views and every service in ``services`` (label -> checkout), in turns."""
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
    intakes = {
        "ratings": lambda t: post("/api/v1/ratings", t, rating_bodies(code)),
        "messages": lambda t: post("/api/v1/messages", t, message_bodies(long_texts)),
    }

    results: dict[tuple[str, str], list] = {}  # (intake, "bare" or a mode) -> each round's
    rss: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        bare = start_gunicorn("bench.bare_app:app", BARE_PORT, bare_env)
        for intake, make in intakes.items():
            results.setdefault((intake, "bare"), []).append(
                run_load(f"bare {intake}", BARE_PORT, make(None), connections=CONNECTIONS,
                         seconds=SECONDS)
            )  # fmt: skip
            analyze(DATABASE_URL)
        stop(bare)
        for mode, env in MODES.items():
            for label, root in services.items():
                empty_redis()
                ours = start_gunicorn("wsgi:app", PORT, env, root)
                for intake, make in intakes.items():
                    results.setdefault((intake, mode + label), []).append(
                        run_load(f"{mode}{label} {intake}", PORT, make(token),
                                 connections=CONNECTIONS, seconds=SECONDS)
                    )  # fmt: skip
                    analyze(DATABASE_URL)
                rss.setdefault(mode + label, []).extend(worker_rss_mb(ours.pid))
                stop(ours)
    empty_redis()

    print("\n## HTTP (each round)")
    for runs in results.values():
        for result in runs:
            print(result.line())
    print("\n## Against the bare insert, in the same round (median of rounds)")
    served = [mode + label for mode in MODES for label in services]
    width = max(len(s) for s in served)
    print(f"{'intake':<10} {'mode':<{width}} {'req/s':>8} {'bare':>8} {'ratio':>6}  each round"
          "  p99 ms")  # fmt: skip
    for intake in intakes:
        bare_runs = results[(intake, "bare")]
        for mode in served:
            runs = results[(intake, mode)]
            ratios = [a.requests_per_second / b.requests_per_second
                      for a, b in zip(runs, bare_runs, strict=True)]  # fmt: skip
            rate = statistics.median(r.requests_per_second for r in runs)
            bare_rate = statistics.median(r.requests_per_second for r in bare_runs)
            p99 = statistics.median(r.percentile(99) for r in runs)
            errors = sum(r.errors for r in runs)
            each = ", ".join(f"{r:.2f}" for r in ratios)
            print(
                f"{intake:<10} {mode:<{width}} {rate:8.1f} {bare_rate:8.1f} "
                f"{statistics.median(ratios):6.2f}  {each:<10}  {p99:6.1f}"
                + (f"   errors {errors}" if errors else "")
            )
    for mode, sizes in rss.items():
        print(f"worker RSS, {mode}, after its phases: {', '.join(f'{r:.0f} MB' for r in sizes)}")
    for label in list(services)[1:]:
        print(f"\n## This code against the code{label}, in the same round (median of rounds)")
        for intake in intakes:
            for mode in MODES:
                pairs = zip(results[(intake, mode)], results[(intake, mode + label)], strict=True)
                ratios = [a.requests_per_second / b.requests_per_second for a, b in pairs]
                each = ", ".join(f"{r:.2f}" for r in ratios)
                print(f"{intake:<10} {mode:<7} {statistics.median(ratios):5.2f}x  ({each})")

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
