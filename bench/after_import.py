"""Reads after a bulk write: ``.venv/bin/python bench/after_import.py``.

Imports the 2,816 messages of ``../shared/data/teddy2020/附件4.xlsx`` into a fresh PostgreSQL
database through ``import_messages`` (the code behind ``flask import messages``), then times
the first reads of the province for 2019, twice in one run: as the import left the facts (every
day it wrote to marked for a recount, which the first read did until issue 18), and after the
recount the command now ends with (``recount_now``, timed too). The reads, in this order:
``GET /api/v1/kpis?period=year`` as an analyst, then signed in to the dashboard as the same
analyst its overview page, that page's XLSX, the theme page and its XLSX. Needs
../shared/data. Settings: BENCH_DATABASE_URL (a database it may drop and re-create, default
postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_after_import).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.tables import read_rows  # noqa: E402
from bench.databases import fresh_database  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_after_import"
)


PERIOD = "period=year&date=2019-06-01"
READS = {
    "GET /api/v1/kpis": f"/api/v1/kpis?{PERIOD}",
    "dashboard overview": f"/dashboard/?{PERIOD}",
    "its XLSX": f"/dashboard/?{PERIOD}&format=xlsx",
    "dashboard themes": f"/dashboard/themes?{PERIOD}",
    "its XLSX ": f"/dashboard/themes?{PERIOD}&format=xlsx",
}
PASSWORD = "bench-analyst-password"


def first_reads(recount_first: bool) -> tuple[float, dict[str, float], int]:
    """Seconds of the recount (0 when left to the reads), of each first read, and the days
    the import marked."""
    from service import create_app, store
    from service.access.accounts import open_account, set_password
    from service.intake.history_import import DEFAULT_MAP, import_account, import_messages
    from service.reporting import figures

    rows = list(read_rows(DATA / "teddy2020" / "附件4.xlsx"))
    mapping = {column: name for column, name in DEFAULT_MAP.items() if column in rows[0]}
    fresh_database(DATABASE_URL)
    with tempfile.TemporaryDirectory() as models:
        config = {"SQLALCHEMY_DATABASE_URI": DATABASE_URL, "MODEL_DIR": models,
                  "SECRET_KEY": "bench"}  # fmt: skip
        app = create_app(config)
        with app.app_context():
            import_messages(rows, mapping, "suggestion", import_account())
            marked = store.facts.count_dirty()
            analyst, token = open_account("bench-analyst", "analyst")
            set_password(analyst, PASSWORD)
            recount = 0.0
            if recount_first:
                started = time.perf_counter()
                figures.recount_now()
                recount = time.perf_counter() - started
        client = app.test_client()
        page = client.get("/dashboard/sign-in").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"name": "bench-analyst", "password": PASSWORD, "csrf_token": csrf}
        assert client.post("/dashboard/sign-in", data=form).status_code == 302
        seconds = {}
        for name, path in READS.items():
            started = time.perf_counter()
            answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
            seconds[name] = time.perf_counter() - started
            assert answer.status_code == 200, (path, answer.status_code)
    return recount, seconds, marked


def main() -> None:
    _, left, marked = first_reads(recount_first=False)
    print(f"import marked {marked} days for a recount")
    recount, after, _ = first_reads(recount_first=True)
    print(f"the import's own recount: {recount:.2f} s")
    print(f"{'first read, in this order':<26} {'recount left to it':>20} {'after the import':>18}")
    for name in READS:
        print(f"{name.strip():<26} {left[name]:18.3f} s {after[name]:16.3f} s")


if __name__ == "__main__":
    main()
