"""The figures officials are judged by (domain.md): rates with their counts and intervals, and
the calendar periods they are reported for (Asia/Shanghai days).

>>> satisfaction = Rate.of(45, 50)
>>> round(satisfaction.value, 3), [round(x, 3) for x in satisfaction.interval]
(0.9, [0.786, 0.957])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

PERIODS = ("day", "week", "month", "quarter", "year")
Z_95 = 1.959963984540054
#: The days a report can be about, and the only days whose facts are recounted: a period and
#: the one before it then stay well inside the calendar (year 1 and 9999 overflow).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
OUT_OF_RANGE = f"A day from {FIRST_DAY.year} to {LAST_DAY.year}."


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion: honest for small samples and near 0 or 1,
    where the normal approximation runs outside [0, 1]. None without a sample."""
    if n <= 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    """A rate with what it was computed from; ``value`` and ``interval`` are None when the
    denominator is 0 (no sample is no figure, not 0%)."""

    numerator: int
    denominator: int
    value: float | None
    interval: tuple[float, float] | None

    @classmethod
    def of(cls, numerator: int, denominator: int) -> Rate:
        value = numerator / denominator if denominator else None
        return cls(numerator, denominator, value, wilson_interval(numerator, denominator))


def reportable(day: date) -> bool:
    """Whether a report can be about ``day`` (from FIRST_DAY to LAST_DAY).

    >>> reportable(date(2026, 11, 25)), reportable(date(1, 1, 1))
    (True, False)
    """
    return FIRST_DAY <= day <= LAST_DAY


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The period of kind ``period`` that contains ``day``: (first day, day after the last).
    Weeks start on Monday; quarters in January, April, July and October.

    >>> period_bounds("quarter", date(2026, 11, 25))
    (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    """
    if period == "day":
        return day, day + timedelta(days=1)
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
    elif period == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    elif period == "year":
        start = date(day.year, 1, 1)
    else:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    end_month = start.month - 1 + months
    return start, date(start.year + end_month // 12, end_month % 12 + 1, 1)


def previous_period(period: str, start: date) -> tuple[date, date]:
    """The period of the same kind just before the one starting on ``start``."""
    return period_bounds(period, start - timedelta(days=1))


def change(current: float | None, previous: float | None) -> float | None:
    """current − previous, when both exist."""
    if current is None or previous is None:
        return None
    return current - previous
