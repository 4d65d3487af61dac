"""Scale benchmark of the figures: ``make bench-kpis`` (or ``.venv/bin/python bench/kpis.py``).

Generates a province on PostgreSQL — ratings over two years across the catalogue's service
items, skewed like real traffic (a few items take most ratings; 60% five stars, 5% one star),
with the rectification cases of their 差评, and one message for every five ratings, addressed
to the same skewed departments (a tenth difficult; closed in 1 to 9 days against a limit of
8, so some late; those of the last 30 days partly still open, and one in 500 stuck open for
good; three in five evaluated) — then times the province-level month report with
its city ranking and department breakdown, in process (the app and the database, no HTTP):
once with every fact current, and once with today's facts marked dirty before each request,
as they are while ratings and messages keep arriving. Done at 100,000 ratings (20,000
messages) and again at 1,000,000 (200,000), and against the plain GROUP BY over the ratings
that the facts replace, in the same run.

Settings from the environment: BENCH_DATABASE_URL (a database it may drop and re-create,
default postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_kpis), BENCH_REQUESTS (50).
Deadlines here are seven calendar days, not five working days: the figures read the stored
limit, whatever it is.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402
from bench.timing import describe, timed  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_kpis"
)
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 50))
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone(timedelta(hours=8)))
MESSAGES_PER_RATING = 5
PLAIN = DATABASE_URL.replace("+psycopg", "")

GENERATE = """
WITH items AS (
    SELECT s.id, s.department_id, d.region_code, row_number() OVER (ORDER BY s.id) AS n
    FROM service_items s JOIN departments d ON d.id = s.department_id
), draws AS (
    SELECT g,
           1 + floor((SELECT count(*) FROM items) * power(random(), 3))::int AS item_n,
           random() AS star_draw,
           random() AS text_draw,
           timestamptz '2024-11-26 00:00+08' + random() * interval '730 days' AS at
    FROM generate_series(%(first)s, %(last)s) AS g
)
INSERT INTO ratings (stars, comment, transaction_id, channel, service_item_id, department_id,
                     region_code, sentiment_score, sentiment_label, sentiment_model, real_name,
                     valid, account_id, created_at)
SELECT CASE WHEN star_draw < 0.60 THEN 5 WHEN star_draw < 0.80 THEN 4 WHEN star_draw < 0.90
            THEN 3 WHEN star_draw < 0.95 THEN 2 ELSE 1 END,
       NULL, 'B' || g, (ARRAY['app','web','mini_program','hall','kiosk','hotline'])[1 + g %% 6],
       items.id, items.department_id, items.region_code,
       CASE WHEN text_draw < 0.7 THEN text_draw / 0.7 END, 'none', 'bench', g %% 10 = 0, true,
       %(account)s, at
FROM draws JOIN items ON items.n = draws.item_n
"""
CASES = """
INSERT INTO rectification_cases (rating_id, department_id, region_code, status, opened_at,
                                 due_at, verified_at, reported_at)
SELECT id, department_id, region_code,
       CASE WHEN id %% 3 = 0 THEN 'open' ELSE 'reported' END, created_at,
       created_at + interval '21 days',
       CASE WHEN id %% 3 <> 0 THEN created_at + interval '2 days' END,
       CASE WHEN id %% 3 <> 0
            THEN created_at + interval '10 days' + (id %% 20) * interval '1 day' END
FROM ratings WHERE stars <= 2 AND id BETWEEN %(first)s AND %(last)s
"""
MESSAGES = """
WITH departments AS (
    SELECT id, region_code, row_number() OVER (ORDER BY id) AS n FROM departments
), draws AS (
    SELECT g,
           1 + floor((SELECT count(*) FROM departments) * power(random(), 3))::int AS n,
           random() AS fate,
           random() AS text_draw,
           1 + floor(random() * 9)::int AS days,
           timestamptz '2024-11-26 00:00+08' + random() * interval '730 days' AS at
    FROM generate_series(%(first)s::int, %(last)s::int) AS g
), shaped AS (
    SELECT draws.*, departments.id AS department_id, departments.region_code,
           CASE WHEN g %% 10 = 0 THEN 'difficult' ELSE 'ordinary' END AS difficulty,
           date_trunc('day', at AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
               + interval '8 days' AS due,
           at + days * interval '1 day' AS done
    FROM draws JOIN departments ON departments.n = draws.n
), staged AS (
    -- Open: what is still being handled (the last 30 days), and a few stuck for good.
    SELECT shaped.*,
           CASE WHEN fate < 0.002 OR done > %(now)s THEN 'in_progress'
                WHEN at > %(now)s - interval '30 days' AND fate < 0.03 THEN 'in_progress'
                WHEN at > %(now)s - interval '30 days' AND fate < 0.05 THEN 'replied'
                ELSE 'closed' END AS status
    FROM shaped
)
INSERT INTO messages (tracking_code, type, title, content, region_code, region_source,
                      department_id, anonymous, confidential, status, difficulty,
                      first_contact_due_at, due_at, first_contact_at, reply, replied_at,
                      closed_at, evaluation, evaluated_at, sentiment_score, sentiment_label,
                      sentiment_model, account_id, created_at, updated_at)
SELECT 'BM' || g,
       (ARRAY['consultation', 'complaint', 'help', 'suggestion', 'report', 'praise'])[1 + g %% 6],
       'bench', 'bench', region_code, 'given', department_id, false, false,
       status, difficulty, at + interval '2 days', due, at + interval '1 day',
       CASE WHEN status <> 'in_progress' THEN 'bench' END,
       CASE WHEN status <> 'in_progress' THEN done END,
       CASE WHEN status = 'closed' THEN done END,
       CASE WHEN status = 'closed' AND fate < 0.6
            THEN (ARRAY['satisfied', 'basically_satisfied', 'unsatisfied'])[1 + g %% 3] END,
       CASE WHEN status = 'closed' AND fate < 0.6 THEN done + interval '1 day' END,
       CASE WHEN text_draw < 0.9 THEN text_draw / 0.9 END, 'none', 'bench', %(account)s, at, at
FROM staged
"""
EVALUATIONS = """
INSERT INTO message_events (message_id, at, actor, action, from_status, to_status,
                            department_id, evaluation)
SELECT id, evaluated_at, 'bench', 'evaluate', 'closed', 'closed', department_id, evaluation
FROM messages WHERE evaluated_at IS NOT NULL AND tracking_code LIKE 'BM%%'
  AND id BETWEEN %(first)s AND %(last)s
"""
MARK_ALL_DAYS = """
INSERT INTO fact_dirty_marks (kind, day)
SELECT kind, d::date
FROM generate_series(date '2024-11-25', date '2026-12-10', interval '1 day') d,
     (VALUES ('ratings'), ('messages')) AS kinds (kind)
"""
# What the facts replace: the month's province figures and city ranking straight from ratings.
PLAIN_GROUP_BY = """
SELECT coalesce(r.parent_code, r.code) AS city, count(*), sum((t.stars >= 3)::int),
       sum((t.stars >= 4)::int), sum((t.stars <= 2)::int)
FROM ratings t JOIN regions r ON r.code = t.region_code
WHERE t.valid AND t.created_at >= timestamptz '2026-11-01 00:00+08'
  AND t.created_at < timestamptz '2026-12-01 00:00+08'
GROUP BY 1
"""


def generate(connection, first: int, last: int, account: int) -> float:
    started = time.perf_counter()
    connection.execute(GENERATE, {"first": first, "last": last, "account": account})
    connection.execute(CASES, {"first": first, "last": last})
    messages = {
        "first": (first - 1) // MESSAGES_PER_RATING + 1,
        "last": last // MESSAGES_PER_RATING,
        "account": account,
        "now": NOW,
    }
    connection.execute(MESSAGES, messages)
    connection.execute(EVALUATIONS, messages)
    connection.execute(MARK_ALL_DAYS)
    connection.execute("ANALYZE")
    connection.commit()
    return time.perf_counter() - started


def main() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["LOG_LEVEL"] = "WARNING"
    fresh_database(DATABASE_URL)
    from service import create_app
    from service.access.accounts import open_account
    from service.extensions import db
    from service.reporting.figures import refresh_facts, report
    from service.store.facts import MESSAGES, RATINGS, mark_dirty

    app = create_app()
    print(
        f"# figures benchmark, {date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL, {REQUESTS} requests per figure"
    )
    with app.app_context():
        account, _ = open_account("bench", "app")
        account_id = account.id
    with psycopg.connect(PLAIN) as connection:
        done = 0
        for target in (100_000, 1_000_000):
            seconds = generate(connection, done + 1, target, account_id)
            done = target
            count = connection.execute("SELECT count(*) FROM ratings").fetchone()[0]
            messages = connection.execute("SELECT count(*) FROM messages").fetchone()[0]
            with app.app_context():
                started = time.perf_counter()
                refresh_facts()
                build = time.perf_counter() - started
                db.session.execute(db.text("ANALYZE"))  # as autovacuum would, soon after
                db.session.commit()
                facts = db.session.execute(
                    db.text("SELECT count(*) FROM fact_ratings_daily")
                ).scalar()
                message_facts = db.session.execute(
                    db.text("SELECT count(*) FROM fact_messages_daily")
                ).scalar()

                def month_report():
                    body = report("360000", "month", TODAY, now=NOW)
                    assert len(body["by_region"]) == 11
                    assert body["figures"]["on_time_closing_rate"]["denominator"] > 0
                    db.session.remove()

                def month_report_with_today_dirty():
                    mark_dirty(RATINGS, TODAY)
                    mark_dirty(MESSAGES, TODAY)
                    db.session.commit()
                    month_report()

                month_report()  # warm
                current = timed(month_report, REQUESTS)
                dirty = timed(month_report_with_today_dirty, REQUESTS)
            plain = timed(lambda: connection.execute(PLAIN_GROUP_BY).fetchall(), REQUESTS)
            print(
                f"\n## {count:,} ratings and {messages:,} messages (generated in {seconds:.1f} s; "
                f"facts built in {build:.1f} s: {facts:,} rating rows, "
                f"{message_facts:,} message rows)"
            )
            print(f"province month report, facts current      {describe(current)}")
            print(f"province month report, today recounted    {describe(dirty)}")
            print(f"plain GROUP BY over ratings (5 counts)    {describe(plain)}")
            print(
                f"plain GROUP BY / report with today recounted, p50: "
                f"{statistics.median(plain) / statistics.median(dirty):.1f}x"
            )


if __name__ == "__main__":
    main()
