"""Spike alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from service.extensions import db
from service.models import Alert
from service.store.paging import page_of
from service.store.transactions import transaction


def add_alerts(alerts: list[dict[str, Any]]) -> int:
    """Store the alerts not raised already (one per kind, region, subject and day: a scan run
    twice raises nothing twice); returns how many are new."""
    if not alerts:
        return 0
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Alert)
        .values(alerts)
        .on_conflict_do_nothing(index_elements=["kind", "region_code", "subject", "day"])
    )
    with transaction():
        added = db.session.execute(statement.returning(Alert.id)).all()
    return len(added)


def fetch_alerts(
    region_codes: Iterable[str] | None,
    first: date,
    last: date,
    *,
    kind: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Alert], int]:
    """One page of the alerts of ``region_codes`` (None: all) raised for the days from
    ``first`` to ``last``, the latest day first."""
    query = select(Alert).where(Alert.day >= first, Alert.day <= last)
    if region_codes is not None:
        query = query.where(Alert.region_code.in_(sorted(region_codes)))
    if kind is not None:
        query = query.where(Alert.kind == kind)
    return page_of(query, (Alert.day.desc(), Alert.id), page, page_size)
