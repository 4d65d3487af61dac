"""The dashboard's charts as ECharts options (drawn by static/dashboard.js): a page's data
holds them, so that a chart shows exactly the page's numbers."""

from __future__ import annotations

from datetime import date, datetime

from analytics.kpis import period_bounds, previous_period
from service.reporting import figures

#: Periods a trend chart shows, the page's and those before it.
TREND_PERIODS = 12


def trend(region_code: str, period: str, day: date, now: datetime, names: dict[str, str]) -> dict:
    """Satisfaction and on-time closing over the last TREND_PERIODS periods, oldest first,
    each line named by ``names`` (figure key: name)."""
    starts = [period_bounds(period, day)[0]]
    while len(starts) < TREND_PERIODS:
        starts.append(previous_period(period, starts[-1])[0])
    labels, series = [], {"satisfaction_rate": [], "on_time_closing_rate": []}
    for start in reversed(starts):
        shown = figures.report(region_code, period, start, now=now)["figures"]
        labels.append(start.isoformat())
        for key, values in series.items():
            values.append(percent(shown[key]["value"]))
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "data": [names[key] for key in series]},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            {
                "name": names[key],
                "type": "line",
                "data": values,
                "connectNulls": True,
                "showAllSymbol": True,
                "symbolSize": 7,
            }
            for key, values in series.items()
        ],
    }


def bars(names: list[str], values: list, series_name: str) -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 110, "right": 30, "top": 10, "bottom": 30},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": names},
        "series": [{"name": series_name, "type": "bar", "data": values}],
    }


def percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)
