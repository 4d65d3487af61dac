"""The demo's plan: when each rating and message is sent, over a stretch ending now and a
thin history before it, with the repeats, hot issues and bursts it plants."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from analytics.workdays import SHANGHAI, is_working_day
from service.demo.options import DemoOptions
from service.demo.texts import MessageDraft, Writer

#: The hours of the day citizens write at, and how much (07:00 to 23:00).
HOUR_WEIGHTS = [1, 3, 6, 7, 6, 3, 4, 6, 6, 5, 4, 3, 4, 5, 4, 2]
#: How much a weekend or holiday sees of a working day's ratings and messages.
RESTDAY_SHARE = 0.55
#: Per hundred messages, how many citizens write again about the same matter (重复件).
REPEATS = 4
#: The days of each month of thin history that hold its ratings and messages.
HISTORY_DAYS = 4


@dataclass(order=True)
class Planned:
    """A rating or message to send at ``at``; ``number`` orders two at one moment and seeds
    what is drawn for it."""

    at: datetime
    number: int
    kind: str = field(compare=False)  # rating or message
    what: Any = field(compare=False)  # the rating's body, or the message's draft


class Planner:
    """Draws the plan from the options' seed: the same options and ``now`` give the same plan."""

    def __init__(self, options: DemoOptions, now: datetime, writer: Writer) -> None:
        self.options, self.now, self.writer = options, now, writer
        self.today = now.astimezone(SHANGHAI).date()
        self.first_day = self.today - timedelta(days=options.days - 1)
        self.rng = random.Random(options.seed)
        self.history_days: set[date] = set()  # the days of the thin history
        self.history_from: date | None = None
        self.planted_hot_issues = 0

    def plan(self) -> list[Planned]:
        """Every rating and message to send, in the order of their moments."""
        rng, writer, options = self.rng, self.writer, self.options
        plan: list[Planned] = []

        def add(at: datetime, kind: str, what: Any) -> None:
            plan.append(Planned(at, len(plan), kind, what))

        days = [self.first_day + timedelta(days=n) for n in range(options.days)]
        weights = [self._day_weight(day) for day in days]
        for day in rng.choices(days, weights, k=options.ratings):
            add(self._moment(rng, day), "rating", None)
        sent = []
        for day in rng.choices(days, weights, k=options.messages):
            at = self._moment(rng, day)
            city = writer.city(rng)
            region = writer.county(rng, city) if rng.random() < 0.9 else city
            draft = writer.message(rng, writer.problem(rng), region)
            add(at, "message", draft)
            sent.append((at, draft))
        self._plant_repeats(add, sent)
        self._plant_hot_issues(add)
        self._plant_bursts(add, days)
        self._add_history(add)
        self.history_from = min(p.at for p in plan).astimezone(SHANGHAI).date()
        return sorted(plan)

    def _plant_repeats(self, add: Callable, sent: list[tuple[datetime, MessageDraft]]) -> None:
        """Some citizens write again about a complaint or a plea not answered yet (重复件)."""
        rng = self.rng
        latest = self.now - timedelta(days=1)
        waiting = [(at, d) for at, d in sent if d.body["type"] in ("投诉", "求助") and at < latest]
        for at, draft in rng.sample(waiting, min(len(waiting), REPEATS * len(sent) // 100 + 1)):
            again = at + timedelta(days=rng.uniform(1, 10))
            add(
                min(again, self.now - timedelta(minutes=10)),
                "message",
                self.writer.repeat(rng, draft),
            )

    def _plant_hot_issues(self, add: Callable) -> None:
        """Several citizens about one problem at one place within a few days; a span of one
        day is a spike of its theme in its county (and, at one place, of the hot issue)."""
        rng, writer, regions = self.rng, self.writer, self.writer.regions
        for issue in writer.texts["hot_issues"]:
            last = self.today - timedelta(days=issue["days_ago"])
            first = last - timedelta(days=issue["span_days"] - 1)
            if first < self.first_day:
                continue
            county = regions.get(issue["county"])
            problem = writer.problems[issue["problem"]]
            for _ in range(issue["citizens"]):
                day = first + timedelta(days=rng.randrange(issue["span_days"]))
                at = datetime.combine(day, time(8), SHANGHAI) + timedelta(hours=rng.uniform(0, 13))
                kind = rng.choice([k for k in problem["types"] if k != "表扬"])
                draft = writer.message(rng, problem, county, place=issue.get("place"),
                                       message_type=kind)  # fmt: skip
                draft.body.pop("confidential", None)  # its text is for its handler alone
                add(min(at, self.now - timedelta(minutes=1)), "message", draft)
            self.planted_hot_issues += 1

    def _plant_bursts(self, add: Callable, days: list[date]) -> None:
        """One device rating one service item again and again within minutes (刷好评)."""
        for _ in range(self.writer.texts["bursts"]):
            rng = random.Random(self.rng.random())
            body = self.writer.rating(rng, "")
            body |= {"channel": "app", "stars": 5, "device_id": f"dev-{rng.getrandbits(48):012x}"}
            body.pop("scores", None)
            start = self._moment(rng, rng.choice(days[:-1] or days))
            for n in range(3):
                add(start + timedelta(minutes=3 * n), "rating", {**body, "comment": "好评"})

    def _add_history(self, add: Callable) -> None:
        """A thin history before the main stretch, month by month, for the trend: a few days
        of each month (few days to recount), with a fraction of the main stretch's volume."""
        rng, options, writer = self.rng, self.options, self.writer
        per_month = (max(10, options.ratings // 50), max(5, options.messages // 60))
        month = self.first_day.replace(day=1)  # the main stretch has most of its own month
        for _ in range(options.history_months):
            month = (month - timedelta(days=1)).replace(day=1)
            days_in = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - month
            month_days = [month + timedelta(days=n) for n in range(days_in.days)]
            days = rng.sample([d for d in month_days if is_working_day(d)], HISTORY_DAYS)
            self.history_days.update(days)
            for _ in range(per_month[0]):
                add(self._moment(rng, rng.choice(days)), "rating", None)
            for _ in range(per_month[1]):
                draft = writer.message(
                    rng, writer.problem(rng), writer.county(rng, writer.city(rng))
                )
                add(self._moment(rng, rng.choice(days)), "message", draft)

    def _day_weight(self, day: date) -> float:
        weight = 1.0 if is_working_day(day) else RESTDAY_SHARE
        if day == self.today:  # the part of today gone by
            local = self.now.astimezone(SHANGHAI)
            weight *= min(1.0, max(0.02, (local.hour + local.minute / 60 - 7) / 16))
        return weight

    def _moment(self, rng: random.Random, day: date) -> datetime:
        """A moment of ``day`` when citizens write, before now."""
        hour = 7 + rng.choices(range(len(HOUR_WEIGHTS)), HOUR_WEIGHTS)[0]
        at = datetime.combine(day, time(hour), SHANGHAI) + timedelta(minutes=rng.uniform(0, 60))
        if at >= self.now:  # today: some time of the part gone by
            start = datetime.combine(day, time(), SHANGHAI)
            at = start + (self.now - start) * rng.uniform(0.3, 0.99)
        return at
