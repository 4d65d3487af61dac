"""Sums of the facts over a period, a region (with everything under it) and a department:
what every figure and report is summed from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import case, func, literal_column, select

from service.extensions import db
from service.models import (
    CityThemeFacts,
    DepartmentRatingFacts,
    MessageFacts,
    RatingFacts,
    ThemeFacts,
)
from service.store.facts.recount import FACT_COUNTS, MESSAGE_COUNTS


def rating_cells(
    first: date,
    split: date,
    last: date,
    *,
    region_codes: Iterable[str] | None,
    department_id: int | None = None,
    service_item_id: int | None = None,
    channel: str | None = None,
) -> list[dict]:
    """Rating counts summed per region and department over the days first..split-1 (the
    previous period, ``current`` false) and split..last-1 (``current`` true): one query for a
    whole report. Without a service item or channel, the per-department facts are summed: far
    fewer rows, however many ratings."""
    fine = service_item_id is not None or channel is not None
    facts = RatingFacts if fine else DepartmentRatingFacts
    # literal_column, not a bound 0: ten parameters of unknown type cost PostgreSQL a plan.
    sums = {c: func.coalesce(func.sum(getattr(facts, c)), literal_column("0")) for c in FACT_COUNTS}
    query = _cells(facts, first, split, last, sums, region_codes, department_id)
    if service_item_id is not None:
        query = query.where(RatingFacts.service_item_id == service_item_id)
    if channel is not None:
        query = query.where(RatingFacts.channel == channel)
    return _rows(query, sums)


def _cells(facts, first, split, last, sums, region_codes, department_id):
    current = (facts.day >= split).label("current")
    keys = (facts.region_code, facts.department_id, current)
    query = (
        select(*keys, *sums.values()).where(facts.day >= first, facts.day < last).group_by(*keys)
    )
    if region_codes is not None:
        query = query.where(facts.region_code.in_(sorted(region_codes)))
    if department_id is not None:
        query = query.where(facts.department_id == department_id)
    return query


def _rows(query, sums: dict) -> list[dict]:
    names = ["region_code", "department_id", "current", *sums]
    return [dict(zip(names, row, strict=True)) for row in db.session.execute(query)]


def theme_cells(
    first: date,
    split: date,
    last: date,
    *,
    region_codes: Iterable[str] | None,
    branch: str | None = None,
) -> list[dict]:
    """Messages (and how many read negative) per region, theme and period (``current`` from
    ``split`` on). For the whole province's first-level themes, per city and first-level
    theme, from the coarse facts; else from the fine ones, within ``region_codes`` and, with
    ``branch``, under that first-level theme."""
    coarse = region_codes is None and branch is None
    facts = CityThemeFacts if coarse else ThemeFacts
    region = facts.city_code if coarse else facts.region_code
    theme = facts.branch_code if coarse else facts.theme_code
    current = (facts.day >= split).label("current")
    query = (
        select(region, theme, current, func.sum(facts.messages), func.sum(facts.negative))
        .where(facts.day >= first, facts.day < last)
        .group_by(region, theme, current)
    )
    if region_codes is not None:
        query = query.where(ThemeFacts.region_code.in_(sorted(region_codes)))
    if branch is not None:
        query = query.where(ThemeFacts.branch_code == branch)
    names = ("region_code", "theme_code", "current", "messages", "negative")
    return [dict(zip(names, row, strict=True)) for row in db.session.execute(query)]


def branch_counts(first: date, last: date) -> list[tuple]:
    """(day, region_code, city_code, branch_code, messages) from ``first`` up to ``last``:
    each day's messages per region and first-level theme, for the spike rule."""
    f = ThemeFacts
    query = (
        select(f.day, f.region_code, f.city_code, f.branch_code, func.sum(f.messages))
        .where(f.day >= first, f.day < last)
        .group_by(f.day, f.region_code, f.city_code, f.branch_code)
    )
    return [tuple(row) for row in db.session.execute(query)]


def message_cells(
    first: date,
    split: date,
    last: date,
    today: date,
    *,
    region_codes: Iterable[str] | None,
    department_id: int | None = None,
) -> list[dict]:
    """Message counts per region, department and period, like ``rating_cells``; with ``due``
    narrowed to the limits that have run out before ``today`` or were met already (a limit
    still running is no figure yet), and ``overdue`` the ones that ran out unmet."""
    facts = MessageFacts
    passed = facts.day < today

    def total(expression) -> object:
        return func.coalesce(func.sum(expression), literal_column("0"))

    sums = {name: total(getattr(facts, name)) for name in MESSAGE_COUNTS}
    sums["due"] = total(case((passed, facts.due), else_=facts.due_met))
    sums["overdue"] = total(case((passed, facts.due - facts.due_met), else_=literal_column("0")))
    return _rows(_cells(facts, first, split, last, sums, region_codes, department_id), sums)
