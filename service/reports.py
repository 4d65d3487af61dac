"""The theme report (issue 6): for a region and period, how many messages each theme drew,
its share, the change against the previous period and the share of them that read negative;
for the region and for each of its child regions. First-level themes by default; with
``theme``, the themes one level under it. Summed from the per-day theme facts, so its cost
follows the cells it shows, not the messages behind them.

Formulas, exactly as computed:
- messages = messages accepted in the period, in the region or under it, in the theme or under
  it (counted in the theme shown that holds the one they were placed in)
- share = messages / all the region's messages of the period (the unclassified included)
- change = messages - the previous period's messages
- negative_share = messages whose sentiment label is negative / messages
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

from analytics import report_files
from analytics.kpis import change, period_bounds, previous_period
from analytics.themes import Taxonomy
from analytics.workdays import SHANGHAI
from service import store
from service.figures import refresh_facts

UNCLASSIFIED = "未分类"


def theme_report(region_code: str, period: str, day: date, theme: str | None = None) -> dict:
    """The report of ``region_code`` for the period holding ``day``; ``theme`` drills one
    level down (its own messages, placed at it and not deeper, show as the theme itself)."""
    refresh_facts()
    regions = store.reference.fetch_region_index()
    taxonomy = store.themes.fetch_taxonomy(with_retired=True)
    province = regions.get(region_code).parent_code is None
    codes = None if province else regions.descendants(region_code)
    first, last = period_bounds(period, day)
    before, _ = previous_period(period, first)
    every = store.facts.theme_cells(before, first, last, region_codes=codes)
    if theme is None:
        cells = every
    else:  # only the themes under it, but shares still of all the region's messages
        branch = taxonomy.path(theme)[0].code
        cells = store.facts.theme_cells(before, first, last, region_codes=codes, branch=branch)
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
    return f"{name}（未细分）" if code == theme else name


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


def theme_report_file(report: dict, fmt: str) -> tuple[bytes, str, str]:
    """The report as a file: (content, media type, file name)."""
    name = store.reference.fetch_region_index().get(report["region_code"]).name
    period = report["period"]
    filename = f"themes-{report['region_code']}-{period['kind']}-{period['first_day']}.{fmt}"
    if fmt == "csv":
        content = report_files.to_csv(report, name).encode("utf-8")
    else:
        content = report_files.to_xlsx(report, name, datetime.now(SHANGHAI))
    return content, FORMATS[fmt], filename
