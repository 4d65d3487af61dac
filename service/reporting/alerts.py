"""Spike alerts: a theme or a hot issue whose volume in a region jumps on one day against its
rolling baseline, so officials hear of it before it becomes news.

The rule, exactly: for a day D, a region (every county, city and the province) and a
first-level theme, or a hot issue (found over D and the SPIKE_BASELINE_DAYS before it, each
city apart), with n its messages on D and m its mean daily messages over the SPIKE_BASELINE_DAYS
days before D, an alert is raised when
    n ≥ SPIKE_MIN_COUNT  and  n ≥ m + SPIKE_SIGMAS × max(s, √m, 1)
where s is the standard deviation of those daily counts (√m, as for a Poisson count, keeps a
quiet baseline from alerting on noise); ``rule()`` states it for officials with the values in
force (by default n ≥ 5 and n ≥ m + 3 × max(s, √m, 1) over the 28 days before). Repeats
count once; a hot issue's baseline is its own messages before D, and its alert belongs to the
region most of its messages are in (a county, so that the county's officials see it, and
those above). Scanning a day again raises nothing twice.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from datetime import date, timedelta

from flask import current_app

from analytics.regions import PROVINCE_CODE
from service import store
from service.reporting.figures import refresh_facts
from service.reporting.hot_issues import find_for_alerts


def scan(day: date) -> int:
    """Raise the alerts of ``day``; returns how many are new."""
    refresh_facts()
    config = current_app.config
    baseline = config["SPIKE_BASELINE_DAYS"]
    alerts = _theme_spikes(day, baseline) + _hot_issue_spikes(day, baseline)
    return store.alerts.add_alerts(alerts)


def rule() -> str:
    """The rule as officials read it (the dashboard and its workbook), with the values in
    force: they never see the settings, and 5 and 28 tell them what an alert means."""
    config = current_app.config
    return (
        "预警：某日某地区某一级主题（或某热点问题）的留言数 n ≥ "
        f"{config['SPIKE_MIN_COUNT']}，且 n ≥ m + {config['SPIKE_SIGMAS']:g} × max(s, √m, 1)，"
        f"m、s 为此前 {config['SPIKE_BASELINE_DAYS']} 天日均留言数及其标准差"
        "（热点问题：其此前的留言，s 取 √m）"
    )


def threshold(mean: float, spread: float) -> float:
    """The count a day must reach to be a spike, after days of this mean and spread."""
    config = current_app.config
    bound = mean + config["SPIKE_SIGMAS"] * max(spread, math.sqrt(mean), 1.0)
    return max(float(config["SPIKE_MIN_COUNT"]), bound)


def _theme_spikes(day: date, baseline: int) -> list[dict]:
    first = day - timedelta(days=baseline)
    daily: defaultdict[tuple, dict] = defaultdict(dict)
    for when, region, city, branch, messages in store.facts.branch_counts(
        first, day + timedelta(1)
    ):
        for holder in {region, city, PROVINCE_CODE} - {None}:
            counts = daily[holder, branch]
            counts[when] = counts.get(when, 0) + messages
    # a first-level theme another process added a moment ago is named, not shown as its code
    taxonomy = store.taxonomy.fetch_taxonomy(with_retired=True, knowing={b for _, b in daily})
    alerts = []
    for (region, branch), counts in daily.items():
        if branch is None or (count := counts.get(day, 0)) == 0:
            continue
        history = [counts.get(first + timedelta(days=n), 0) for n in range(baseline)]
        mean = statistics.fmean(history)
        if count >= (bound := threshold(mean, statistics.pstdev(history))):
            theme = taxonomy.get(branch)
            name = theme.name if theme else branch
            alerts.append(_alert("theme", region, branch, name, day, count, mean, bound))
    return alerts


def _hot_issue_spikes(day: date, baseline: int) -> list[dict]:
    alerts = []
    for issue in find_for_alerts(day, baseline):
        mean = issue["previous"] / baseline  # its days are not told apart: a Poisson spread
        count = issue["messages"]
        if count >= (bound := threshold(mean, 0.0)):
            alerts.append(
                _alert("hot_issue", issue["region_code"] or issue["city_code"],
                       str(issue["message_ids"][0]), _issue_name(issue)[:200], day,
                       count, mean, bound, issue["message_ids"])
            )  # fmt: skip
    return alerts


def _issue_name(issue: dict) -> str:
    """The place, then the description, unless the description names the place already
    (龙华家具有限公司拖欠加班费, not 龙华家具有限公司 龙华家具有限公司拖欠加班费)."""
    place, description = issue["place"] or "", issue["description"]
    return description if place in description else f"{place} {description}"


def _alert(kind, region, subject, name, day, count, mean, bound, message_ids=None) -> dict:
    return {
        "kind": kind,
        "region_code": region,
        "subject": subject,
        "subject_name": name,
        "day": day,
        "count": count,
        "baseline_mean": round(mean, 3),
        "threshold": round(bound, 3),
        "message_ids": json.dumps(message_ids) if message_ids else None,
    }
