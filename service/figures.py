"""The figures officials and analysts are judged by (domain.md, "The figures…"), for a region
and everything under it, a calendar period, and optionally one department, service item or
channel: each with its counts, a 95% Wilson interval, the previous period's value and the
change; broken down by the region's children (a ranking) and by department. Summed from the
per-day facts, which are brought up to date first.

Formulas, exactly as computed (valid ratings only: an upheld appeal removes one):
- satisfaction_rate (满意率) = ratings of 3-5 stars / ratings
- strict_satisfaction_rate = ratings of 4-5 stars / ratings
- bad_rating_rate (差评率) = ratings of 1-2 stars / ratings
- rectification_rate (差评整改率) = 差评 rectified and reported back / 差评 with a case
- on_time_rectification_rate = 差评 reported back by their deadline / 差评 with a case
- follow_up_rate (回访率) = 差评 verified with the citizen / 差评 with a case
- negative_sentiment_share (负面情绪占比) = rating comments scoring below
  SENTIMENT_NEGATIVE_BELOW / rating comments with a score
A rating counts in the period of its Asia/Shanghai day; a case in the period of its rating.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import current_app

from analytics.kpis import Rate, change, period_bounds, previous_period
from service import store

FORMULAS = {
    "satisfaction_rate": ("satisfied", "ratings"),
    "strict_satisfaction_rate": ("strict", "ratings"),
    "bad_rating_rate": ("bad", "ratings"),
    "rectification_rate": ("cases_reported", "cases"),
    "on_time_rectification_rate": ("cases_on_time", "cases"),
    "follow_up_rate": ("cases_verified", "cases"),
    "negative_sentiment_share": ("texts_negative", "texts_scored"),
}
EMPTY = dict.fromkeys(store.facts.FACT_COUNTS, 0)


def refresh_facts() -> None:
    """Recount every day whose ratings changed since the last read."""
    negative_below = current_app.config["SENTIMENT_NEGATIVE_BELOW"]
    store.facts.drain(
        store.facts.RATINGS, lambda day: store.facts.recompute_rating_facts(day, negative_below)
    )


def figures_of(totals: dict, previous: dict | None = None) -> dict[str, Any]:
    """Every figure from summed counts, with the previous period's value and the change."""
    result = {}
    for name, (numerator, denominator) in FORMULAS.items():
        rate = Rate.of(int(totals[numerator]), int(totals[denominator]))
        before = Rate.of(int(previous[numerator]), int(previous[denominator])) if previous else None
        result[name] = {
            "value": rate.value,
            "numerator": rate.numerator,
            "denominator": rate.denominator,
            "interval": list(rate.interval) if rate.interval else None,
            "previous": before.value if before else None,
            "change": change(rate.value, before.value if before else None),
        }
    result["ratings"] = int(totals["ratings"])
    return result


def report(
    region_code: str,
    period: str,
    day: date,
    *,
    department_id: int | None = None,
    service_item_id: int | None = None,
    channel: str | None = None,
) -> dict[str, Any]:
    """The figures of ``region_code`` (and everything under it) for the period containing
    ``day``, with the previous period's, and per child region and per department."""
    refresh_facts()
    regions = store.reference.fetch_region_index()
    province = regions.get(region_code).parent_code is None
    codes = None if province else regions.descendants(region_code)  # the province: every row
    first, last = period_bounds(period, day)
    before_first, before_last = previous_period(period, first)
    filters = {
        "region_codes": codes,
        "department_id": department_id,
        "service_item_id": service_item_id,
        "channel": channel,
    }

    def totals(start: date, end: date, group_by: str | None = None):
        return store.facts.sum_rating_facts(start, end, group_by=group_by, **filters)

    current, previous = totals(first, last)[0], totals(before_first, before_last)[0]
    children = {c.code: c for c in regions.children(region_code)}
    by_child = {code: dict(EMPTY) for code in children}
    for row in totals(first, last, "region_code"):
        child = _child_holding(regions, region_code, row["region_code"])
        if child in by_child:
            for name in store.facts.FACT_COUNTS:
                by_child[child][name] += row[name]
    catalog = store.reference.fetch_catalog().departments_by_id
    by_department = [
        {
            "department_code": catalog[row["department_id"]].code,
            "department_name": catalog[row["department_id"]].name,
            "figures": figures_of(row),
        }
        for row in totals(first, last, "department_id")
    ]
    ranking = sorted(
        (
            {"region_code": code, "name": children[code].name, "figures": figures_of(counts)}
            for code, counts in by_child.items()
        ),
        key=_best_satisfaction_first,
    )
    return {
        "region_code": region_code,
        "period": {
            "kind": period,
            "first_day": first,
            "last_day": last - timedelta(days=1),
        },
        "figures": figures_of(current, previous),
        "by_region": ranking,
        "by_department": sorted(by_department, key=lambda d: d["department_code"]),
    }


def _best_satisfaction_first(entry: dict) -> tuple[bool, float]:
    """The ranking's order: highest 满意率 first, regions without a rating last."""
    value = entry["figures"]["satisfaction_rate"]["value"]
    return value is None, -(value or 0)


def _child_holding(regions, parent: str, code: str) -> str | None:
    """The child of ``parent`` that ``code`` is, or lies under."""
    if regions.get(code) is None:
        return None
    chain = [d.code for d in regions.ancestors(code)] + [code]
    if parent not in chain:
        return None
    index = chain.index(parent)
    return chain[index + 1] if index + 1 < len(chain) else None
