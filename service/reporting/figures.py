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
- negative_sentiment_share (评价负面情绪占比) = rating comments the sentiment model labels
  negative / rating comments with a score
A rating counts in the period of its Asia/Shanghai day; a case in the period of its rating.

Messages (absent when a service item or channel is chosen: messages carry neither):
- on_time_closing_rate (按时办结率) = messages that met their handling limit / messages whose
  limit runs out in the period and has run out by ``now`` or was met already; an ordinary
  matter meets it by being closed, a difficult one by being answered, by the end of the limit's
  last working day (a reopened message counts once, by its new limit)
- overdue (超期) = messages whose limit ran out in the period, before ``now``'s day, unmet
- average_handling_days (平均办理时长) = working days from acceptance to closing, summed over
  the messages closed in the period / those messages
- reply_satisfaction_rate (回访满意率) = evaluations 满意 or 基本满意 / evaluations given in
  the period (every one, also an unsatisfied one that reopened its message)
- message_negative_sentiment_share (留言负面情绪占比) = messages whose text (title and text
  together) the sentiment model labels negative (负面: a complaint, grievance, distress or
  accusation; a question or a matter-of-fact suggestion is neutral) / messages with a scored
  text, by day of acceptance, a repeat counted once
- open_overdue (the report's, not per period) = messages past their handling limit at ``now``
  and not meeting it yet; open_first_contact_overdue = those past only their first-contact
  limit (1 working day) and not contacted yet: live from the messages themselves, repeats
  left out. Together they are the 督办 overdue list (/api/v1/supervision?kind=overdue).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app

from analytics.kpis import Rate, change, period_bounds, previous_period
from service import store
from service.platform import metrics, redis_client
from service.store.facts import day_of

RECOUNT_CLAIM = "minsheng:facts:recounted"

FORMULAS = {
    "satisfaction_rate": ("satisfied", "ratings"),
    "strict_satisfaction_rate": ("strict", "ratings"),
    "bad_rating_rate": ("bad", "ratings"),
    "rectification_rate": ("cases_reported", "cases"),
    "on_time_rectification_rate": ("cases_on_time", "cases"),
    "follow_up_rate": ("cases_verified", "cases"),
    "negative_sentiment_share": ("texts_negative", "texts_scored"),
    "on_time_closing_rate": ("due_met", "due"),
    "reply_satisfaction_rate": ("evaluated_satisfied", "evaluated"),
    "message_negative_sentiment_share": ("received_negative", "received_scored"),
    "reply_poor_share": ("replies_poor", "replies"),
    "reply_boilerplate_share": ("replies_boilerplate", "replies"),
    "reply_on_time_rate": ("replies_on_time", "replies"),
}
#: Which way each figure is better: True where a rise is an improvement (满意率), False where
#: a rise is a worsening (差评率, 留言负面情绪占比, 超期, 平均办理时长). Every figure with a
#: change has one, so that whoever shows a change can say whether it is good (the dashboard
#: colours it by this, not by its sign).
HIGHER_IS_BETTER = {
    "satisfaction_rate": True,
    "strict_satisfaction_rate": True,
    "bad_rating_rate": False,
    "rectification_rate": True,
    "on_time_rectification_rate": True,
    "follow_up_rate": True,
    "negative_sentiment_share": False,
    "on_time_closing_rate": True,
    "reply_satisfaction_rate": True,
    "message_negative_sentiment_share": False,
    "average_handling_days": False,
    "overdue": False,
    "reply_quality_mean": True,
    "reply_poor_share": False,
    "reply_boilerplate_share": False,
    "reply_on_time_rate": True,
    "reply_evasions": False,
}
MESSAGE_SUMS = (*store.facts.MESSAGE_COUNTS, "overdue")
EMPTY = dict.fromkeys(store.facts.FACT_COUNTS, 0) | dict.fromkeys(MESSAGE_SUMS, 0)


def refresh_facts() -> None:
    """Recount every day whose ratings or messages changed since the last read; with
    FACTS_MAX_AGE_SECONDS set and Redis, only if no process did in that many seconds: under a
    stream of writes, every read would otherwise recount today whole. In queue mode the
    workers keep them that fresh (``keep_facts_fresh``), and reads do not recount at all."""
    config = current_app.config
    max_age = config["FACTS_MAX_AGE_SECONDS"]
    if max_age and config["REDIS_URL"]:
        if not redis_client.claim(config["REDIS_URL"], RECOUNT_CLAIM, max_age):
            return  # recounted by some process less than max_age seconds ago
    _recount()


def recount_now(progress: Callable[[int], None] | None = None) -> int:
    """Recount every marked day at once, whatever another process's recent recount claims:
    what a bulk write (an import, a rescore, ``facts rebuild``) does before it ends, so that
    no read pays for it (the first figures after importing a year of history would otherwise
    recount hundreds of days in a request). Returns how many days were recounted."""
    recounted = store.facts.drain(store.facts.RATINGS, store.facts.recompute_rating_facts,
                                  progress)  # fmt: skip
    return recounted + store.facts.drain(
        store.facts.MESSAGES, store.facts.recompute_message_facts, progress
    )


def keep_facts_fresh() -> None:
    """A worker's turn, every FACTS_MAX_AGE_SECONDS: recount, and hold the claim for twice
    that, so that reads find the facts fresh and recount only once the workers stop."""
    config = current_app.config
    _recount()
    redis_client.set(config["REDIS_URL"], RECOUNT_CLAIM, b"1", 2 * config["FACTS_MAX_AGE_SECONDS"])


def _recount() -> None:
    with metrics.RECOUNT.time():
        store.facts.drain(store.facts.RATINGS, store.facts.recompute_rating_facts)
        store.facts.drain(store.facts.MESSAGES, store.facts.recompute_message_facts)


def figures_of(totals: dict, previous: dict | None = None) -> dict[str, Any]:
    """Every figure from summed counts, with the previous period's value and the change; the
    message figures only where message counts were summed."""
    result = {}
    for name, (numerator, denominator) in FORMULAS.items():
        if numerator not in totals:
            continue
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
    if "received" in totals:
        result["messages"] = int(totals["received"])
        result["average_handling_days"] = {
            **_mean(totals, previous, "handling_days", "closed"),
            "working_days": int(totals["handling_days"]),
            "closed": int(totals["closed"]),
        }
        result["overdue"] = _count(totals, previous, "overdue")
        result["reply_quality_mean"] = {
            **_mean(totals, previous, "reply_score_sum", "replies"),
            "replies": int(totals["replies"]),
        }
        result["reply_evasions"] = _count(totals, previous, "replies_evasion")
    return result


def _mean(totals: dict, previous: dict | None, total: str, count: str) -> dict[str, Any]:
    """A mean of summed counts (``total`` over ``count``), with the previous period's."""
    value = _average(totals[total], totals[count])
    before = _average(previous[total], previous[count]) if previous else None
    return {"value": value, "previous": before, "change": change(value, before)}


def _count(totals: dict, previous: dict | None, name: str) -> dict[str, Any]:
    value = int(totals[name])
    before = int(previous[name]) if previous else None
    return {"value": value, "previous": before, "change": change(value, before)}


def _average(total: int, count: int) -> float | None:
    return int(total) / int(count) if count else None


def report(
    region_code: str,
    period: str,
    day: date,
    *,
    department_id: int | None = None,
    service_item_id: int | None = None,
    channel: str | None = None,
    now: datetime,
) -> dict[str, Any]:
    """The figures of ``region_code`` (and everything under it) for the period containing
    ``day``, with the previous period's, and per child region and per department; ``now``
    tells which time limits have run out."""
    refresh_facts()
    regions = store.reference.fetch_region_index()
    province = regions.get(region_code).parent_code is None
    codes = None if province else regions.descendants(region_code)  # the province: every row
    first, last = period_bounds(period, day)
    before, _ = previous_period(period, first)  # it ends where this one starts
    with_messages = service_item_id is None and channel is None
    cells = store.facts.rating_cells(
        before,
        first,
        last,
        region_codes=codes,
        department_id=department_id,
        service_item_id=service_item_id,
        channel=channel,
    )
    if with_messages:
        cells += store.facts.message_cells(
            before, first, last, day_of(now), region_codes=codes, department_id=department_id
        )
    counted = [name for name in EMPTY if with_messages or name not in MESSAGE_SUMS]
    current, previous = dict.fromkeys(counted, 0), dict.fromkeys(counted, 0)
    children = {c.code: c for c in regions.children(region_code)}
    # Per child region and per department, [this period's counts, the previous period's]:
    # the cells of both periods are read anyway, so each row gets its previous value too.
    by_child = {code: (dict.fromkeys(counted, 0), dict.fromkeys(counted, 0)) for code in children}
    per_department: dict[int, tuple[dict, dict]] = {}
    departments_now = set()  # those with cells in this period: the breakdown lists these
    child_of = functools.cache(lambda code: regions.child_holding(region_code, code))
    for cell in cells:
        which = 0 if cell["current"] else 1
        _add(current if cell["current"] else previous, cell)
        if (child := child_of(cell["region_code"])) in by_child:
            _add(by_child[child][which], cell)
        if cell["department_id"] is not None:  # None: messages not dispatched yet
            counts = per_department.setdefault(
                cell["department_id"], (dict.fromkeys(counted, 0), dict.fromkeys(counted, 0))
            )
            _add(counts[which], cell)
            if cell["current"]:
                departments_now.add(cell["department_id"])
    catalog = store.reference.fetch_catalog().departments_by_id
    by_department = [
        {
            "department_code": catalog[department].code,
            "department_name": catalog[department].name,
            "figures": figures_of(*counts),
        }
        for department, counts in per_department.items()
        if department in departments_now
    ]
    ranking = sorted(
        (
            {"region_code": code, "name": children[code].name, "figures": figures_of(*counts)}
            for code, counts in by_child.items()
        ),
        key=_best_satisfaction_first,
    )
    overdue = (
        store.messages.count_overdue(now, region_codes=codes, department_id=department_id)
        if with_messages
        else None
    )
    return {
        "region_code": region_code,
        "period": {
            "kind": period,
            "first_day": first,
            "last_day": last - timedelta(days=1),
        },
        "figures": figures_of(current, previous),
        "open_overdue": overdue[0] if overdue else None,
        "open_first_contact_overdue": overdue[1] if overdue else None,
        "by_region": ranking,
        "by_department": sorted(by_department, key=lambda d: d["department_code"]),
    }


def _add(counts: dict, cell: dict) -> None:
    for name in counts:
        if name in cell:
            counts[name] += cell[name]


def _best_satisfaction_first(entry: dict) -> tuple[bool, float]:
    """The ranking's order: highest 满意率 first, regions without a rating last."""
    value = entry["figures"]["satisfaction_rate"]["value"]
    return value is None, -(value or 0)
