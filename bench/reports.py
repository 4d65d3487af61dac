"""Theme report benchmark: ``make bench-reports`` (or ``.venv/bin/python bench/reports.py``).

Generates messages on PostgreSQL over two years across the 111 regions (a few regions and a
few themes take most of them, as in real traffic; one in ten unclassified; a third negative),
builds the per-day facts, then times the province-level month theme report with its 11 cities,
in process (the app's code and the database, no HTTP), with the facts current; against the
plain GROUP BY over the messages that the facts replace, in the same run. At 100,000 messages
and again at 1,000,000.

Settings: BENCH_DATABASE_URL (a database it may drop and re-create, default
postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_reports), BENCH_REQUESTS (50).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402
from bench.timing import describe, timed  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_reports"
)
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 50))
TODAY = date(2026, 11, 25)

GENERATE = """
WITH regions AS (
    SELECT code, row_number() OVER (ORDER BY code) AS n FROM regions WHERE parent_code IS NOT NULL
), themes AS (
    SELECT code, row_number() OVER (ORDER BY code) AS n FROM themes
), draws AS (
    SELECT g,
           1 + floor((SELECT count(*) FROM regions) * power(random(), 2))::int AS region_n,
           1 + floor((SELECT count(*) FROM themes) * power(random(), 2))::int AS theme_n,
           random() AS mood,
           timestamptz '2024-11-26 00:00+08' + random() * interval '730 days' AS at
    FROM generate_series(%(first)s::int, %(last)s::int) AS g
)
INSERT INTO messages (tracking_code, type, title, content, region_code, region_source,
                      anonymous, confidential, status, due_at, sentiment_score,
                      sentiment_label, sentiment_model, theme_code, theme_source, account_id,
                      created_at, updated_at)
SELECT 'BR' || g, (ARRAY['consultation', 'complaint', 'help', 'suggestion'])[1 + g %% 4],
       'bench', 'bench', regions.code, 'given', false, false, 'closed', at + interval '7 days',
       mood, CASE WHEN mood < 0.33 THEN 'negative' WHEN mood > 0.6 THEN 'positive'
                  ELSE 'neutral' END,
       'bench', CASE WHEN g %% 10 <> 0 THEN themes.code END, 'rules', %(account)s, at, at
FROM draws
JOIN regions ON regions.n = draws.region_n
JOIN themes ON themes.n = draws.theme_n
"""
MARK_ALL_DAYS = """
INSERT INTO fact_dirty_days (kind, day, version)
SELECT 'messages', d::date, 1
FROM generate_series(date '2024-11-25', date '2026-12-10', interval '1 day') d
ON CONFLICT (kind, day) DO UPDATE SET version = fact_dirty_days.version + 1
"""
# What the facts replace: the month's messages per city and first-level theme, straight from
# the messages (one level of themes, as the report shows).
PLAIN_GROUP_BY = """
SELECT coalesce(r.parent_code, r.code), split_part(m.theme_code, '.', 1), count(*),
       sum((m.sentiment_label = 'negative')::int)
FROM messages m JOIN regions r ON r.code = m.region_code
WHERE m.created_at >= timestamptz '2026-11-01 00:00+08'
  AND m.created_at < timestamptz '2026-12-01 00:00+08'
GROUP BY 1, 2
"""


def main() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["LOG_LEVEL"] = "WARNING"
    fresh_database(DATABASE_URL)
    from service import create_app
    from service.accounts import open_account
    from service.extensions import db
    from service.figures import refresh_facts
    from service.reports import theme_report

    app = create_app()
    print(
        f"# theme report benchmark, {date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL, {REQUESTS} requests per figure"
    )
    with app.app_context():
        account_id = open_account("bench", "app")[0].id
    with psycopg.connect(DATABASE_URL.replace("+psycopg", "")) as connection:
        done = 0
        for target in (100_000, 1_000_000):
            started = time.perf_counter()
            parameters = {"first": done + 1, "last": target, "account": account_id}
            connection.execute(GENERATE, parameters)
            connection.execute(MARK_ALL_DAYS)
            connection.execute("ANALYZE")
            connection.commit()
            generated, done = time.perf_counter() - started, target
            with app.app_context():
                started = time.perf_counter()
                refresh_facts()
                built = time.perf_counter() - started
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
                facts = db.session.scalar(db.text("SELECT count(*) FROM fact_themes_daily"))

                def month_report():
                    body = theme_report("360000", "month", TODAY)
                    assert len(body["by_region"]) == 11 and body["messages"] > 0
                    db.session.remove()

                month_report()  # warm
                current = timed(month_report, REQUESTS)
            plain = timed(lambda: connection.execute(PLAIN_GROUP_BY).fetchall(), REQUESTS)
            print(
                f"\n## {target:,} messages (generated in {generated:.1f} s; facts built in "
                f"{built:.1f} s, {facts:,} theme fact rows)"
            )
            print(f"province month theme report, facts current   {describe(current)}")
            print(f"plain GROUP BY over messages                 {describe(plain)}")


if __name__ == "__main__":
    main()
