"""The theme report (issue 6): for a region and period, how many messages each theme drew,
its share, the change against the previous period and the share of them that read negative;
for the region and for each of its child regions. First-level themes by default; with
``theme``, the themes one level under it, and the theme itself as "…（未细分）" for its messages
placed at it and not deeper; a theme without sub-themes (a leaf) shows alone, under its own
name (each row's ``sub_themes`` says whether it can be drilled into). Summed from the per-day
theme facts, so its cost follows the cells it shows, not the messages behind them.

Formulas, exactly as computed:
- messages = messages accepted in the period, in the region or under it, in the theme or under
  it (counted in the theme shown that holds the one they were placed in)
- share = messages / all the region's messages of the period (the unclassified included)
- change = messages - the previous period's messages
- negative_share = messages whose sentiment label is negative / messages
- keywords = the words that mark the theme out against the report's other themes (class-based
  TF-IDF, analytics/keywords.py) over a sample of at most KEYWORD_SAMPLE of its messages of the
  period, spread over the period, masked first; confidential messages and repeats left out
- hot_issues = the period's HOT_ISSUES hottest issues (service/reporting/hot_issues.py);
  with ``theme``, the HOT_ISSUES hottest about it: more than half of their messages placed in
  the theme or under it (among the period's HOT_ISSUE_CANDIDATES hottest), ranked 1, 2…
  among themselves; null when the period and the one before hold more messages than
  HOT_ISSUE_MAX_MESSAGES (a year of the province: ask /api/v1/hot-issues city by city)

Cached in Redis with REDIS_URL set, until a day it was summed from is recounted.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from typing import Any

from analytics import report_files
from analytics.keywords import keywords, name_parts, words
from analytics.kpis import change, period_bounds, previous_period
from analytics.privacy import mask_text
from analytics.themes import Taxonomy
from analytics.workdays import SHANGHAI
from service import store
from service.reporting import report_cache, report_jobs
from service.reporting.figures import refresh_facts
from service.reporting.hot_issues import TooManyMessages, hot_issues

UNCLASSIFIED = "未分类"


KEYWORD_SAMPLE = 100  # messages per theme read for its keywords
KEYWORDS = 8  # keywords per theme
HOT_ISSUES = 5  # hot issues per report
HOT_ISSUE_CANDIDATES = 1000  # issues a drill-down looks through, hottest first, for its own


def theme_report(region_code: str, period: str, day: date, theme: str | None = None) -> dict:
    """The report of ``region_code`` for the period holding ``day``; ``theme`` drills one
    level down (its own messages, placed at it and not deeper, show as the theme itself)."""
    refresh_facts()
    first, last = period_bounds(period, day)
    before, _ = previous_period(period, first)
    asked = {"region": region_code, "period": period, "day": day, "theme": theme}
    report = report_cache.cached(
        "themes", asked, before, last, lambda: theme_counts(region_code, period, day, theme)
    )
    build = report_jobs.WorkerBuild(
        "theme-details", (region_code, theme, first, last - timedelta(days=1))
    )
    if last > datetime.now(SHANGHAI).date():  # running: every new message recounts today
        details = report_cache.cached_recent("theme-details", asked, build)
    else:
        details = report_cache.cached("theme-details", asked, before, last, build)
    marked = dict((code, words) for code, words in details["keywords"])
    parents = _parents(_knowing({row["code"] for row in report["themes"]}))
    for row in report["themes"]:
        row["keywords"] = marked.get(row["code"], [])
        row["sub_themes"] = row["code"] in parents and row["code"] != theme
    return {**report, "hot_issues": details["hot_issues"]}


def theme_details(region_code: str, theme: str | None, first: date, last: date) -> dict:
    """The costly parts, built on a worker in queue mode (service/reporting/report_jobs.py):
    keywords per theme shown, and the hot issues."""
    regions = store.reference.fetch_region_index()
    codes = (
        None if regions.get(region_code).parent_code is None else regions.descendants(region_code)
    )
    marked = _keywords(codes, first, last + timedelta(days=1), theme)
    return {
        "keywords": list(marked.items()),  # pairs: a theme's code may be null (unclassified)
        "hot_issues": _hot_issues(region_code, first, last, theme),
    }


def theme_counts(region_code: str, period: str, day: date, theme: str | None = None) -> dict:
    """The report's counts alone, summed from the facts as they stand (no keywords, no hot
    issues)."""
    regions = store.reference.fetch_region_index()
    province = regions.get(region_code).parent_code is None
    codes = None if province else regions.descendants(region_code)
    first, last = period_bounds(period, day)
    before, _ = previous_period(period, first)
    every = store.facts.theme_cells(before, first, last, region_codes=codes)
    taxonomy = _knowing({theme} | {cell["theme_code"] for cell in every})
    if theme is None:
        cells = every
    else:  # only the themes under it, but shares still of all the region's messages
        branch = taxonomy.path(theme)[0].code
        cells = store.facts.theme_cells(before, first, last, region_codes=codes, branch=branch)
        taxonomy = _knowing({cell["theme_code"] for cell in cells})
    shown_as = functools.cache(lambda code: _shown_as(taxonomy, theme, code))
    child_of = functools.cache(lambda code: regions.child_holding(region_code, code))
    children = {c.code: c for c in regions.children(region_code)}
    total = {"current": 0, "previous": 0}
    by_child: dict[str, dict] = {code: {"total": 0, "themes": {}} for code in children}
    for cell in every:
        when = "current" if cell["current"] else "previous"
        total[when] += cell["messages"]
        if when == "current" and (child := child_of(cell["region_code"])) in by_child:
            by_child[child]["total"] += cell["messages"]
    rows: dict[str | None, dict] = {}
    for cell in cells:
        shown, inside = shown_as(cell["theme_code"])
        if not inside:
            continue
        row = rows.setdefault(shown, {"current": 0, "previous": 0, "negative": 0})
        if not cell["current"]:
            row["previous"] += cell["messages"]
            continue
        row["current"] += cell["messages"]
        row["negative"] += cell["negative"]
        if (child := child_of(cell["region_code"])) in by_child:
            themes = by_child[child]["themes"]
            themes[shown] = themes.get(shown, 0) + cell["messages"]
    return {
        "region_code": region_code,
        "period": {"kind": period, "first_day": first, "last_day": last - timedelta(days=1)},
        "theme": theme,
        "messages": total["current"],
        "previous": total["previous"],
        "themes": _ranked(rows, total["current"], taxonomy, theme),
        "by_region": [
            {
                "region_code": code,
                "name": children[code].name,
                "messages": counts["total"],
                "themes": [
                    {
                        "code": shown,
                        "name": _name(taxonomy, shown, theme),
                        "messages": n,
                        "share": n / counts["total"] if counts["total"] else None,
                    }
                    for shown, n in sorted(counts["themes"].items(), key=lambda i: -i[1])
                ],
            }
            for code, counts in by_child.items()
        ],
    }


def _knowing(codes: set[str | None]) -> Taxonomy:
    """Every theme, read again if one of ``codes`` is new to this process: a theme another
    process added a moment ago is reported under its first-level theme, not as 未分类."""
    return store.taxonomy.fetch_taxonomy(with_retired=True, knowing=codes)


def _keywords(codes, first: date, last: date, theme: str | None) -> dict:
    """The keywords of each theme shown, from a sample of its messages of the period."""
    start, end = (datetime.combine(d, time(), SHANGHAI) for d in (first, last))
    regions = store.reference.fetch_region_index().divisions.values()
    places = name_parts(name for r in regions for name in (r.name, r.short_name))
    sample = store.messages.fetch_theme_sample(codes, start, end, KEYWORD_SAMPLE)
    taxonomy = _knowing({theme} | {code for code, _, _ in sample})
    shown_as = functools.cache(lambda code: _shown_as(taxonomy, theme, code))
    texts: dict = {}
    for code, title, head in sample:
        shown, inside = shown_as(code)
        if inside and len(group := texts.setdefault(shown, [])) < KEYWORD_SAMPLE:
            group.append(words(mask_text(f"{title}。{head}"), leave_out=places))
    return keywords(texts, top=KEYWORDS)


def _hot_issues(region_code: str, first: date, last: date, theme: str | None) -> list[dict] | None:
    try:
        found = hot_issues(
            region_code, first, last, HOT_ISSUES if theme is None else HOT_ISSUE_CANDIDATES
        )
    except TooManyMessages:  # the report goes without; the API's search says why
        return None
    return found if theme is None else _about(theme, found)


def _about(theme: str, issues: list[dict]) -> list[dict]:
    """The HOT_ISSUES hottest of ``issues`` more than half of whose messages are placed in
    ``theme`` or under it, ranked among themselves: a drill into 交通运输 lists no water cut
    that merely was hot in the same weeks."""
    # the taxonomy as it is when a code is first asked about: a theme once known keeps its path
    inside = functools.cache(lambda code: any(t.code == theme for t in taxonomy.path(code)))
    about: list[dict] = []
    batch = 50  # issues whose messages' themes are read at a time, hottest first
    for start in range(0, len(issues), batch):
        chunk = issues[start : start + batch]
        placed = store.themes.fetch_message_themes(
            i for issue in chunk for i in issue["message_ids"]
        )
        taxonomy = _knowing(set(placed.values()))
        for issue in chunk:
            ids = issue["message_ids"]
            if 2 * sum(bool(placed.get(i)) and inside(placed[i]) for i in ids) > len(ids):
                about.append({**issue, "rank": len(about) + 1})
                if len(about) == HOT_ISSUES:
                    return about
    return about


def _shown_as(taxonomy: Taxonomy, theme: str | None, code: str | None) -> tuple[Any, bool]:
    """The theme a message placed at ``code`` is counted in, and whether it is in the report
    at all (with ``theme``, only what lies under it)."""
    path = [t.code for t in taxonomy.path(code)] if code else []
    if theme is None:
        return (path[0] if path else None), True
    if theme not in path:
        return None, False
    depth = path.index(theme)
    return (path[depth + 1] if depth + 1 < len(path) else theme), True


def _name(taxonomy: Taxonomy, code: str | None, theme: str | None) -> str:
    if code is None:
        return UNCLASSIFIED
    known = taxonomy.get(code)
    name = known.name if known else code  # added in another process a moment ago
    return f"{name}（未细分）" if code == theme and code in _parents(taxonomy) else name


def _parents(taxonomy: Taxonomy) -> set[str]:
    """The codes of the themes that have sub-themes (retired ones too: old messages)."""
    return {t.parent_code for t in taxonomy.themes.values() if t.parent_code}


def _ranked(rows: dict, total: int, taxonomy: Taxonomy, theme: str | None) -> list[dict]:
    ranked = [
        {
            "code": code,
            "name": _name(taxonomy, code, theme),
            "messages": counts["current"],
            "share": counts["current"] / total if total else None,
            "previous": counts["previous"],
            "change": change(counts["current"], counts["previous"]),
            "negative_share": counts["negative"] / counts["current"] if counts["current"] else None,
        }
        for code, counts in rows.items()
    ]
    return sorted(ranked, key=lambda row: (-row["messages"], row["code"] or "~"))


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_name(kind: str, report: dict, fmt: str) -> str:
    """A report's file name: its kind, region, period and first day (themes-360100-month-…)."""
    period = report["period"]
    return f"{kind}-{report['region_code']}-{period['kind']}-{period['first_day']}.{fmt}"


def theme_report_file(report: dict, fmt: str) -> tuple[bytes, str, str]:
    """The report as a file: (content, media type, file name)."""
    name = store.reference.fetch_region_index().get(report["region_code"]).name
    filename = file_name("themes", report, fmt)
    if fmt == "csv":
        content = report_files.to_csv(report, name).encode("utf-8")
    else:
        theme = report["theme"] and store.taxonomy.fetch_taxonomy(with_retired=True).get(
            report["theme"]
        )
        theme_name = theme.name if theme else None
        content = report_files.to_xlsx(report, name, datetime.now(SHANGHAI), theme_name)
    return content, FORMATS[fmt], filename
