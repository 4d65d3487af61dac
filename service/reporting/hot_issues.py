"""Hot issues (热点问题) of a region and a span of days, as the API and the theme report show
them: found by analytics/hot_issues/ over the texts of the region's messages (no repeats,
nothing confidential), each city apart, with the span before as the previous window; what is
shown of them (a title, a place) is masked.
Cached like the reports: found again only once a day they were found in is recounted."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from flask import current_app

from analytics.privacy import mask_text
from analytics.regions import PROVINCE_CODE
from analytics.workdays import SHANGHAI
from service import store
from service.reporting import report_cache, report_jobs
from service.reporting.figures import refresh_facts

log = logging.getLogger(__name__)


class TooManyMessages(ValueError):
    """The span holds more messages than one search reads (HOT_ISSUE_MAX_MESSAGES): ``count``
    in it and the span before, ``ceiling`` read at most (the dashboard says it in Chinese)."""

    def __init__(self, count: int, ceiling: int) -> None:
        super().__init__(
            f"{count} messages in this span and the one before it: more than the {ceiling} "
            "a search reads. Choose fewer days or a smaller region."
        )
        self.count, self.ceiling = count, ceiling


#: How much of a message's text the description of a hot issue shows at most.
DESCRIPTION_LENGTH = 60


def hot_issues(region_code: str, first: date, last: date, limit: int) -> list[dict]:
    """The ``limit`` hottest issues of ``region_code`` (and under it) sent from ``first`` to
    ``last``, both days included, ranked by hot index; TooManyMessages if the span and the
    one before hold more messages than a search reads."""
    refresh_facts()
    before = first - (last - first + timedelta(days=1))
    _refuse_too_many(region_code, before, last)  # here, not on the worker: a 422 to tell
    asked = {"region": region_code, "first": first, "last": last}
    build = report_jobs.WorkerBuild("hot-issues", (region_code, before, first, last))
    if last >= datetime.now(SHANGHAI).date():  # running: every new message recounts today
        found = report_cache.cached_recent("hot_issues", asked, build)
    else:
        found = report_cache.cached("hot_issues", asked, before, last + timedelta(days=1), build)
    return found[:limit]


def find_for_alerts(day: date, baseline_days: int) -> list[dict]:
    """The hot issues of ``day`` in each city, the ``baseline_days`` before it as the previous
    window, each with its ``city_code``; a city with too many messages to search is left out
    (and logged)."""
    found = []
    regions = store.reference.fetch_region_index()
    for city in regions.children(PROVINCE_CODE):
        try:
            issues = find(city.code, day - timedelta(days=baseline_days), day, day)
        except TooManyMessages as error:
            log.warning("no hot-issue alerts for %s on %s: %s", city.code, day, error)
            continue
        found.extend({**issue, "city_code": city.code} for issue in issues)
    return found


def find(region_code: str, before: date, first: date, last: date) -> list[dict]:
    """The search itself, every issue ranked: on a worker in queue mode
    (service/reporting/report_jobs.py), with ``before`` up to ``first`` as the previous window."""
    from analytics.hot_issues import Rules, find_hot_issues  # numpy and scikit-learn

    codes, start, end = _refuse_too_many(region_code, before, last)
    regions = store.reference.fetch_region_index()
    docs = [_doc(row, regions) for row in store.messages.fetch_for_analysis(codes, start, end)]
    config = current_app.config
    rules = Rules(
        link_days=config["HOT_ISSUE_LINK_DAYS"],
        same_place=config["HOT_ISSUE_SAME_PLACE"],
        similar=config["HOT_ISSUE_SIMILAR"],
        same_problem=config["HOT_ISSUE_SAME_PROBLEM"],
        min_citizens=config["HOT_ISSUE_MIN_CITIZENS"],
        min_likes=config["HOT_ISSUE_MIN_LIKES"],
    )
    return [
        _shown(rank, issue, regions)
        for rank, issue in enumerate(find_hot_issues(docs, _moment(first), rules), start=1)
    ]


def _refuse_too_many(region_code: str, before: date, last: date) -> tuple:
    """The search's regions and bounds; TooManyMessages if they hold more than it reads."""
    regions = store.reference.fetch_region_index()
    codes = None if region_code == PROVINCE_CODE else regions.descendants(region_code)
    start, end = _moment(before), _moment(last + timedelta(days=1))
    ceiling = current_app.config["HOT_ISSUE_MAX_MESSAGES"]
    if (count := store.messages.count_between(codes, start, end)) > ceiling:
        raise TooManyMessages(count, ceiling)
    return codes, start, end


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), SHANGHAI)


def _doc(row: tuple, regions):
    from analytics.hot_issues import Doc

    id_, title, content, at, citizen_ref, phone, region, likes, label = row
    citizen = f"ref:{citizen_ref}" if citizen_ref else f"tel:{phone}" if phone else f"#{id_}"
    city = regions.child_holding(PROVINCE_CODE, region) if region else None
    return Doc(
        id=id_,
        title=title,
        text=content,
        at=at,
        citizen=citizen,
        partition=city or PROVINCE_CODE,
        region=region,
        likes=likes or 0,
        negative=label == "negative",
    )


def _shown(rank: int, issue, regions) -> dict:
    region = regions.get(issue.region) if issue.region else None
    description = mask_text(issue.description)
    if len(description) > DESCRIPTION_LENGTH:
        description = description[: DESCRIPTION_LENGTH - 1] + "…"
    return {
        "rank": rank,
        "description": description,
        "place": mask_text(issue.place) or (region.name if region else None),
        "region_code": issue.region,
        "region_name": region.name if region else None,
        "first_at": issue.first_at,
        "last_at": issue.last_at,
        "messages": len(issue.message_ids),
        "citizens": issue.citizens,
        "likes": issue.likes,
        "previous": issue.previous,
        "growth": issue.growth,
        "negative_share": issue.negative_share,
        "index": issue.index,
        "message_ids": issue.message_ids,
    }
