"""What a demo load added, as its command prints it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.dashboard.pages import OVERVIEW_FIGURES
from service.demo.options import PREFIX

#: The figures the summary ends with: the dashboard's overview cards.
FIGURE_NAMES = {key: name for key, name, _ in OVERVIEW_FIGURES}


@dataclass
class DemoSummary:
    """What a load added (or, ``existing``, found already)."""

    existing: tuple[int, int] | None = None
    first_day: date | None = None
    last_day: date | None = None
    history_from: date | None = None
    ratings: int = 0
    bad_ratings: int = 0
    cases: Counter = field(default_factory=Counter)
    messages: int = 0
    statuses: Counter = field(default_factory=Counter)
    repeats: int = 0
    planted_hot_issues: int = 0
    hot_issues_found: int = 0
    alerts: int = 0
    alert_days: tuple[date, date] | None = None
    overdue_messages: int = 0
    overdue_cases: int = 0
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.existing is not None:
            ratings, messages = self.existing
            return [
                f"The demo data is loaded already ({ratings} ratings and {messages} messages "
                f"with ids starting {PREFIX!r}): nothing added."
            ]
        cases = ", ".join(f"{n} {status}" for status, n in sorted(self.cases.items()))
        statuses = ", ".join(f"{n} {status}" for status, n in self.statuses.most_common())
        scanned = (
            f"scanning {self.alert_days[0]} to {self.alert_days[1]}"
            if self.alert_days
            else "no day scanned (the stretch is not longer than SPIKE_BASELINE_DAYS)"
        )
        lines = [
            f"Demo data from {self.first_day} to {self.last_day} (and a thin history from "
            f"{self.history_from}), loaded in {self.seconds:.0f} s:",
            f"  {self.ratings} ratings, {self.bad_ratings} of them 差评, whose cases are: {cases}",
            f"  {self.messages} messages: {statuses}; {self.repeats} repeats (重复件) linked",
            f"  {self.hot_issues_found} hot issues in the last 30 days ({self.planted_hot_issues}"
            f" planted); {self.alerts} spike alerts raised, {scanned}",
            f"  督办: {self.overdue_messages} open messages past a deadline, "
            f"{self.overdue_cases} 差评 cases past theirs",
        ]
        shown = [
            f"{FIGURE_NAMES[name]} {_percent(value)} (previous {_percent(before)})"
            for name, (value, before) in self.figures.items()
        ]
        if shown:
            lines.append("  This month in the province: " + ", ".join(shown))
        return lines


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"
