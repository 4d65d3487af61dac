"""Theme report and hot-issue benchmark: ``make bench-reports`` (or
``.venv/bin/python bench/reports.py``).

Generates messages on PostgreSQL over two years across the 111 regions (a few regions take most
of them, as in real traffic; a third negative). Their texts are the 2,816 real messages of
``../shared/data/teddy2020/附件4.xlsx`` (each drawn many times), placed in the theme the keyword
rules give them, so that keywords and hot issues have real words to work on. It builds the
per-day facts, then times, in process (the app's code and the database, no HTTP):
- the province-level month theme report with its 11 cities, facts current: its counts alone
  (the summed facts), the whole report computed afresh (keywords, and hot issues when the
  month and the one before hold no more than HOT_ISSUE_MAX_MESSAGES), and the whole report
  served from the Redis cache (BENCH_REDIS_URL, default redis://127.0.0.1:6379/15, flushed);
- the plain GROUP BY over the messages that the facts replace, in the same run;
- the hot-issue search over a month of the busiest city (about 10,000 messages at 1M).
At 100,000 messages and again at 1,000,000.

Settings: BENCH_DATABASE_URL (a database it may drop and re-create, default
postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_reports), BENCH_REQUESTS (50),
BENCH_REDIS_URL.
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
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
TEXTS = ROOT.parent / "shared" / "data" / "teddy2020" / "附件4.xlsx"
TODAY = date(2026, 11, 25)

GENERATE = """
WITH regions AS (
    SELECT code, row_number() OVER (ORDER BY code) AS n FROM regions WHERE parent_code IS NOT NULL
), draws AS (
    SELECT g,
           1 + floor((SELECT count(*) FROM regions) * power(random(), 2))::int AS region_n,
           1 + floor((SELECT count(*) FROM bench_texts) * random())::int AS text_n,
           random() AS mood,
           timestamptz '2024-11-26 00:00+08' + random() * interval '730 days' AS at
    FROM generate_series(%(first)s::int, %(last)s::int) AS g
)
INSERT INTO messages (tracking_code, type, title, content, region_code, region_source,
                      anonymous, confidential, status, due_at, sentiment_score,
                      sentiment_label, sentiment_model, theme_code, theme_source, account_id,
                      created_at, updated_at)
SELECT 'BR' || g, (ARRAY['consultation', 'complaint', 'help', 'suggestion'])[1 + g %% 4],
       t.title, t.content, regions.code, 'given', false, false, 'closed',
       at + interval '7 days',
       mood, CASE WHEN mood < 0.33 THEN 'negative' WHEN mood > 0.6 THEN 'positive'
                  ELSE 'neutral' END,
       'bench', t.theme_code, 'rules', %(account)s, at, at
FROM draws
JOIN regions ON regions.n = draws.region_n
JOIN bench_texts t ON t.n = draws.text_n
"""
MARK_ALL_DAYS = """
INSERT INTO fact_dirty_marks (kind, day)
SELECT 'messages', d::date
FROM generate_series(date '2024-11-25', date '2026-12-10', interval '1 day') d
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


def load_texts(connection) -> int:
    """The real messages, with the theme the keyword rules give them, as ``bench_texts``."""
    from analytics.history import clean_text
    from analytics.tables import read_rows
    from analytics.themes import RuleClassifier, Taxonomy

    rows = [(clean_text(r["留言主题"]), clean_text(r["留言详情"])) for r in read_rows(TEXTS)]
    placed = RuleClassifier(Taxonomy.default()).classify_many(rows)
    connection.execute(
        "CREATE TABLE bench_texts (n int PRIMARY KEY, title text, content text, theme_code text)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_texts VALUES (%s, %s, %s, %s)",
            [
                (n, t[:200], c, p.code)
                for n, ((t, c), p) in enumerate(zip(rows, placed, strict=True), start=1)
            ],
        )
    return len(rows)


def main() -> None:
    if not TEXTS.exists():
        sys.exit(f"the real messages are not at {TEXTS}: see ../shared/data/README.md")
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["LOG_LEVEL"] = "WARNING"
    # Built here, in the process, as without workers: the cache is timed, not a worker's build.
    os.environ["SCORING_MODE"] = "inline"
    os.environ.pop("REDIS_URL", None)  # the cache is switched on where it is timed
    fresh_database(DATABASE_URL)
    import redis

    from service import create_app
    from service.access.accounts import open_account
    from service.extensions import db
    from service.reporting import reports
    from service.reporting.figures import refresh_facts
    from service.reporting.hot_issues import find as find_hot_issues
    from service.reporting.reports import theme_report

    app = create_app()
    cache = redis.Redis.from_url(REDIS_URL)
    print(
        f"# theme report benchmark, {date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL, {REQUESTS} requests per figure"
    )
    with app.app_context():
        account_id = open_account("bench", "app")[0].id
    with psycopg.connect(DATABASE_URL.replace("+psycopg", "")) as connection:
        texts = load_texts(connection)
        connection.commit()
        print(f"texts: the {texts:,} real messages of {TEXTS.name}")
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

                searched_too = []

                def month_report(searched_too=searched_too):
                    body = theme_report("360000", "month", TODAY)
                    assert len(body["by_region"]) == 11 and body["messages"] > 0
                    assert body["themes"][0]["keywords"]
                    searched_too.append(body["hot_issues"] is not None)
                    db.session.remove()

                def counts_only():
                    body = reports.theme_counts("360000", "month", TODAY)
                    assert len(body["by_region"]) == 11 and body["messages"] > 0
                    db.session.remove()

                month_report()  # warm
                counts = timed(counts_only, REQUESTS)
                fresh = timed(month_report, REQUESTS)
                app.config["REDIS_URL"] = REDIS_URL
                cache.flushdb()
                month_report()  # stored
                cached = timed(month_report, REQUESTS)
                app.config["REDIS_URL"] = None
                city, city_messages = busiest_city_month(connection)
                first, last = date(2026, 11, 1), date(2026, 11, 30)
                started = time.perf_counter()
                found = find_hot_issues(city, date(2026, 10, 2), first, last)
                searched = time.perf_counter() - started
                db.session.remove()
            plain = timed(lambda: connection.execute(PLAIN_GROUP_BY).fetchall(), REQUESTS)
            print(
                f"\n## {target:,} messages (generated in {generated:.1f} s; facts built in "
                f"{built:.1f} s, {facts:,} theme fact rows)"
            )
            print(f"province month theme report, counts only      {describe(counts)}")
            whole = (
                "keywords, hot issues" if all(searched_too) else "keywords (hot issues: too many)"
            )
            print(f"  ...the whole report, afresh                {describe(fresh)}   ({whole})")
            print(f"  ...the whole report, from the Redis cache  {describe(cached)}")
            print(f"plain GROUP BY over messages                  {describe(plain)}")
            print(
                f"hot issues of {city} in November 2026: {city_messages:,} messages (and the "
                f"month before for growth), {len(found):,} hot issues in {searched:.1f} s"
            )


def busiest_city_month(connection) -> tuple[str, int]:
    """The city with the most messages in November 2026, and how many."""
    return connection.execute(
        """
        SELECT CASE WHEN r.parent_code = '360000' THEN r.code ELSE r.parent_code END, count(*)
        FROM messages m JOIN regions r ON r.code = m.region_code
        WHERE m.created_at >= timestamptz '2026-11-01 00:00+08'
          AND m.created_at < timestamptz '2026-12-01 00:00+08'
        GROUP BY 1 ORDER BY 2 DESC LIMIT 1
        """
    ).fetchone()


if __name__ == "__main__":
    main()
