"""Reads after a bulk write: ``.venv/bin/python bench/after_import.py``.

Imports the 2,816 messages of ``../shared/data/teddy2020/附件4.xlsx`` into a fresh PostgreSQL
database through ``import_messages`` (the code behind ``flask import messages``), then times
the province's first ``GET /api/v1/kpis?period=year`` for 2019 as an analyst, twice in one
run: as the import left the facts (every day it wrote to marked for a recount, which that first
read did until now), and after the recount the command now ends with (``recount_now``, timed
too). Needs ../shared/data. Settings: BENCH_DATABASE_URL (a database it may drop and re-create,
default postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_after_import).
"""

from __future__ import annotations

import os
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


def first_read(recount_first: bool) -> tuple[float, float, int]:
    """Seconds of the recount (0 when left to the read), of the first read, and the days the
    import marked."""
    from service import create_app, figures, store
    from service.accounts import open_account
    from service.history_import import DEFAULT_MAP, import_account, import_messages

    rows = list(read_rows(DATA / "teddy2020" / "附件4.xlsx"))
    mapping = {column: name for column, name in DEFAULT_MAP.items() if column in rows[0]}
    fresh_database(DATABASE_URL)
    with tempfile.TemporaryDirectory() as models:
        app = create_app({"SQLALCHEMY_DATABASE_URI": DATABASE_URL, "MODEL_DIR": models})
        with app.app_context():
            import_messages(rows, mapping, "suggestion", import_account())
            marked = store.facts.count_dirty()
            _, token = open_account("bench-analyst", "analyst")
            recount = 0.0
            if recount_first:
                started = time.perf_counter()
                figures.recount_now()
                recount = time.perf_counter() - started
        client = app.test_client()
        started = time.perf_counter()
        answer = client.get(
            "/api/v1/kpis?period=year&date=2019-06-01",
            headers={"Authorization": f"Bearer {token}"},
        )
        read = time.perf_counter() - started
        assert answer.status_code == 200, answer.get_json()
    return recount, read, marked


def main() -> None:
    _, read, marked = first_read(recount_first=False)
    print(f"import marked {marked} days for a recount")
    print(f"first /api/v1/kpis, the recount left to it: {read:.2f} s")
    recount, read, _ = first_read(recount_first=True)
    print(f"the import's own recount: {recount:.2f} s; then the first /api/v1/kpis: {read:.3f} s")


if __name__ == "__main__":
    main()
