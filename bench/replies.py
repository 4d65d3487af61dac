"""Reply-quality benchmark: ``make bench-replies`` (or ``.venv/bin/python bench/replies.py``).

1. Judging: the 2,816 real replies of ``../shared/data/teddy2020/附件4.xlsx``, imported into a
   fresh PostgreSQL database (no reply judged), then judged one by one as a worker judges
   them (``service.scoring.replies.judge_pending``: measured against the message, compared
   with the judged replies sharing a band, written): milliseconds per reply, against the
   target of 20.
2. The replies report of a province month (GET /api/v1/reports/replies's work, in process):
   200,000 judged replies generated over two years across the regions and departments, the
   facts recounted, then the report timed (p50, p99) against the target of 50 ms.

Settings: BENCH_DATABASE_URL (a database it may drop and re-create, default
postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_replies), BENCH_REQUESTS (50),
BENCH_REPLIES (200000).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import analyze, fresh_database  # noqa: E402
from bench.timing import describe, timed  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_replies"
)
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 50))
REPLIES = int(os.environ.get("BENCH_REPLIES", 200_000))
SOURCE = ROOT.parent / "shared" / "data" / "teddy2020" / "附件4.xlsx"
DAY = date(2026, 9, 15)  # a whole month of the two generated years

GENERATE = """
WITH departments AS (
    SELECT id, region_code, row_number() OVER (ORDER BY id) AS n FROM departments
), draws AS (
    SELECT g, 1 + floor((SELECT count(*) FROM departments) * power(random(), 2))::int AS d,
           floor(101 * random())::int AS score, random() AS flag,
           timestamptz '2024-10-16 00:00+08' + random() * interval '730 days' AS at
    FROM generate_series(1, %(count)s) AS g
)
INSERT INTO messages (tracking_code, type, title, content, region_code, region_source,
                      department_id, anonymous, confidential, status, difficulty, due_at,
                      sentiment_label, sentiment_model, account_id, reply, replied_at,
                      closed_at, reply_score, reply_quality, reply_model, created_at, updated_at)
SELECT 'RB' || g, 'complaint', '路灯不亮', '小区门口路灯坏了', departments.region_code, 'given',
       departments.id, false, false, 'closed', 'ordinary', at + interval '7 days',
       'neutral', 'bench', %(account)s, '已修复', at + interval '3 days', at + interval '3 days',
       score,
       json_build_object('relevance', 0.5, 'completeness', 0.5, 'interpretability', 0.5,
                         'timeliness', CASE WHEN flag < 0.8 THEN 1 ELSE 0.5 END,
                         'boilerplate', flag < 0.1, 'evasion', flag > 0.97,
                         'no_result', score < 35, 'off_topic', false)::text,
       'replies-1', at, at
FROM draws JOIN departments ON departments.n = draws.d
"""
MARK_ALL_DAYS = """
INSERT INTO fact_dirty_marks (kind, day)
SELECT 'messages', d::date FROM generate_series(date '2024-10-15', date '2026-10-25',
                                                interval '1 day') d
"""


def judging(app) -> str:
    from analytics.tables import read_rows
    from service.extensions import db
    from service.intake.history_import import DEFAULT_MAP, import_account, import_messages
    from service.scoring import replies

    columns = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间")
    mapping = {column: DEFAULT_MAP[column] for column in columns}
    with app.app_context():
        rows = list(read_rows(SOURCE, columns))
        account = import_account()
        # the import judges its replies itself: time them apart, from the import's rows
        started = time.perf_counter()
        report = import_messages(rows, mapping, "complaint", account, workers=1)
        imported = time.perf_counter() - started
        db.session.execute(db.text("UPDATE messages SET reply_model = NULL, reply_score = NULL,"
                                   " reply_quality = NULL"))  # fmt: skip
        db.session.execute(db.text("DELETE FROM reply_bands"))
        db.session.execute(db.text("DELETE FROM reply_signatures"))
        db.session.commit()
        started = time.perf_counter()
        judged = replies.judge_pending()
        seconds = time.perf_counter() - started
    return (
        f"judging: {judged:,} real replies in {seconds:.1f} s: "
        f"{1000 * seconds / judged:.1f} ms a reply (target 20); the whole import of "
        f"{report.imported:,} messages took {imported:.1f} s"
    )


def report(app) -> str:
    from service.extensions import db
    from service.intake.history_import import import_account
    from service.reporting import figures
    from service.reporting.reply_report import reply_report
    from service.store.scopes import Scope

    with app.app_context():
        account = import_account().id
        db.session.commit()
    with psycopg.connect(DATABASE_URL.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(GENERATE, {"count": REPLIES, "account": account})
        connection.execute(MARK_ALL_DAYS)
    analyze(DATABASE_URL)
    with app.app_context():
        started = time.perf_counter()
        figures.recount_now()
        recounted = time.perf_counter() - started
        province = Scope(sees_originals=False, region_codes=None, department_id=None)
        now = datetime(2026, 10, 20, tzinfo=UTC)  # after the month: its limits have run out
        body = reply_report(province, "360000", "month", DAY, now)
        laps = timed(lambda: reply_report(province, "360000", "month", DAY, now), REQUESTS)
    replies = body["figures"]["reply_quality_mean"]["replies"]
    return (
        f"report: {REPLIES:,} judged replies (facts recounted in {recounted:.0f} s); the province"
        f"'s month of {replies:,} replies, {len(body['by_department'])} departments:\n"
        f"  {describe(laps)} (target p50 50 ms; mean {statistics.mean(laps):.1f} ms)"
    )


def main() -> None:
    if not SOURCE.exists():
        sys.exit(f"no {SOURCE}: the benchmark reads the real replies")
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    fresh_database(DATABASE_URL)
    from service import create_app

    app = create_app({"SCORING_MODE": "inline", "RATE_LIMITS_ENABLED": False})
    print(f"{date.today()} on {platform.node()} ({os.cpu_count()} CPUs), PostgreSQL")
    print(judging(app))
    print(report(app))


if __name__ == "__main__":
    main()
