"""Working days of China's statutory calendar, for the time limits of 限时办结制.

Holidays and the weekend days made workdays (调休) come from ``chinesecalendar``, which knows
each year once the State Council has published it. For a year it does not know yet, weekdays
are working days and weekends are not, and a warning is logged once for that year. Deadlines
fall at the end of a working day in Asia/Shanghai; the day a matter is accepted does not count.

>>> from datetime import datetime, timezone
>>> accepted = datetime(2026, 2, 13, 2, 0, tzinfo=timezone.utc)  # Friday 10:00 in Shanghai
>>> add_working_days(accepted, 1).isoformat()  # the end of Saturday 14th, a 调休 workday
'2026-02-15T00:00:00+08:00'
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

log = logging.getLogger(__name__)


@cache
def _warn_unknown_year(year: int) -> None:
    log.warning(
        "the statutory calendar of %d is not known to chinesecalendar: counting Monday to "
        "Friday as working days; upgrade chinesecalendar once the year's holidays are published",
        year,
    )


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (remembered: a deadline walks up to
    a month of days, and chinesecalendar checks each one slowly)."""
    import chinese_calendar  # deferred: the module builds its tables at import

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return day.weekday() < 5


#: From this many days before a year ends, a calendar that does not know the next year is
#: worth a warning at start: the time limits counted from then on run into it.
NEXT_YEAR_NEEDED_DAYS = 45


def knows_year(year: int) -> bool:
    """Whether chinesecalendar knows ``year``'s holidays and 调休 (a release each year, once
    the State Council publishes them, usually in November)."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def calendar_warning(today: date) -> str | None:
    """What to tell the operator at start, on ``today``: the calendar does not know this
    year, or, near its end, the next; None when it knows enough."""
    upgrade = "upgrade chinesecalendar (pip install -U chinesecalendar, then pin it)"
    if not knows_year(today.year):
        return f"the working-day calendar does not know {today.year}: {upgrade}"
    left = (date(today.year, 12, 31) - today).days
    if left < NEXT_YEAR_NEEDED_DAYS and not knows_year(today.year + 1):
        return (
            f"the working-day calendar does not know {today.year + 1} yet, and time limits "
            f"counted now run into it (Monday to Friday are taken as working days): {upgrade} "
            "once its release with the published holidays is out"
        )
    return None


def add_working_days(start: datetime, days: int) -> datetime:
    """The end of the ``days``-th working day after ``start``'s day (Asia/Shanghai), as an
    aware datetime: the moment a time limit of ``days`` working days runs out."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    day = start.astimezone(SHANGHAI).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI)


def last_day_of_limit(deadline: datetime) -> date:
    """The last day of a time limit that runs out at ``deadline``, as officials read it: a
    limit running out at midnight has the day before as its last (办理时限 2026-10-15 means "by
    the end of the 15th", where the stored moment is 2026-10-16 00:00).

    >>> from datetime import datetime
    >>> last_day_of_limit(datetime(2026, 10, 16, tzinfo=SHANGHAI)).isoformat()
    '2026-10-15'
    """
    return (deadline.astimezone(SHANGHAI) - timedelta(microseconds=1)).date()


def working_days_between(start: datetime, end: datetime) -> int:
    """How many working days end after ``start``'s day and by ``end``'s (Asia/Shanghai): 0 for
    a matter closed the day it came in, 1 if closed on the next working day, and so on."""
    first, last = start.astimezone(SHANGHAI).date(), end.astimezone(SHANGHAI).date()
    return sum(is_working_day(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))
