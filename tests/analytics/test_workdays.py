import logging
from datetime import UTC, date, datetime

import pytest

from analytics.workdays import (
    SHANGHAI,
    _warn_unknown_year,
    add_working_days,
    calendar_warning,
    is_working_day,
    knows_year,
    working_days_between,
)


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 14), True),  # Saturday, 调休 before the Spring Festival
        (date(2026, 2, 16), False),  # Monday in the Spring Festival
        (date(2026, 2, 28), True),  # Saturday, 调休 after it
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 10), True),  # Saturday, 调休 after National Day
        (date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_the_statutory_calendar_knows_holidays_and_adjusted_workdays(day, working):
    assert is_working_day(day) is working


def test_five_working_days_across_the_spring_festival():
    # Friday 13 Feb: 14 (Sat, 调休) is day 1, the festival runs 15-23, then 24, 25, 26, 27.
    due = add_working_days(shanghai(2026, 2, 13, 16, 30), 5)
    assert due == shanghai(2026, 2, 28)  # the end of Friday 27 February


def test_ten_working_days_across_national_day():
    # Wednesday 30 Sep: Oct 1-7 are holidays; then 8, 9, 10 (Sat, 调休), 12-16, 19, 20.
    due = add_working_days(shanghai(2026, 9, 30, 9, 0), 10)
    assert due == shanghai(2026, 10, 21)  # the end of Tuesday 20 October


def test_the_day_of_acceptance_does_not_count_whatever_the_hour():
    late = add_working_days(datetime(2026, 11, 24, 15, 59, tzinfo=UTC), 1)  # 23:59 Tue in Shanghai
    early = add_working_days(datetime(2026, 11, 24, 16, 1, tzinfo=UTC), 1)  # 00:01 Wed
    assert late == shanghai(2026, 11, 26) and early == shanghai(2026, 11, 27)


def test_a_year_the_calendar_does_not_know_counts_weekdays_and_warns_once(caplog):
    _warn_unknown_year.cache_clear()
    is_working_day.cache_clear()
    with caplog.at_level(logging.WARNING, logger="analytics.workdays"):
        assert add_working_days(shanghai(2031, 1, 3, 12), 2) == shanghai(2031, 1, 8)  # Fri → Tue
        assert is_working_day(date(2031, 1, 4)) is False
    assert sum("2031" in r.getMessage() for r in caplog.records) == 1


def test_working_days_between_counts_the_days_after_acceptance():
    assert working_days_between(shanghai(2026, 2, 13, 10), shanghai(2026, 2, 13, 18)) == 0
    assert working_days_between(shanghai(2026, 2, 13, 10), shanghai(2026, 2, 24, 9)) == 2


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 5), 1)


def test_the_operator_is_warned_near_a_years_end_when_the_calendar_does_not_know_the_next():
    """Whatever release of chinesecalendar is installed: around the first year it does not
    know."""
    unknown = next(year for year in range(2026, 2100) if not knows_year(year))
    assert knows_year(unknown - 1)
    assert calendar_warning(date(unknown - 1, 6, 1)) is None  # months to go
    december = calendar_warning(date(unknown - 1, 12, 1))
    assert december is not None and f"does not know {unknown} yet" in december
    assert "upgrade chinesecalendar" in december
    assert f"does not know {unknown}:" in calendar_warning(date(unknown, 3, 1))
