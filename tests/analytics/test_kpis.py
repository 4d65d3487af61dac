from datetime import date

import pytest

from analytics.kpis import Rate, change, period_bounds, previous_period, wilson_interval


def test_the_wilson_interval_matches_its_textbook_values():
    low, high = wilson_interval(81, 263)  # Wilson (1927) via Newcombe (1998), case 1
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_the_wilson_interval_stays_within_0_and_1_for_small_extreme_samples():
    low, high = wilson_interval(3, 3)
    assert 0 < low < 1 and high == 1.0
    assert wilson_interval(0, 0) is None


def test_no_sample_is_no_figure_rather_than_zero():
    assert Rate.of(0, 0).value is None and Rate.of(0, 4).value == 0.0


@pytest.mark.parametrize(
    ("period", "day", "bounds"),
    [
        ("day", date(2026, 2, 28), (date(2026, 2, 28), date(2026, 3, 1))),
        ("week", date(2026, 11, 25), (date(2026, 11, 23), date(2026, 11, 30))),
        ("month", date(2026, 12, 31), (date(2026, 12, 1), date(2027, 1, 1))),
        ("quarter", date(2026, 2, 14), (date(2026, 1, 1), date(2026, 4, 1))),
        ("year", date(2026, 7, 1), (date(2026, 1, 1), date(2027, 1, 1))),
    ],
)
def test_periods_follow_calendar_boundaries(period, day, bounds):
    assert period_bounds(period, day) == bounds


def test_the_previous_period_is_the_one_just_before():
    assert previous_period("month", date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 3, 1))
    assert previous_period("quarter", date(2026, 1, 1)) == (date(2025, 10, 1), date(2026, 1, 1))


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        period_bounds("fortnight", date(2026, 1, 1))


def test_change_needs_both_values():
    assert change(0.9, 0.85) == pytest.approx(0.05) and change(0.9, None) is None
