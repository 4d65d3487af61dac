"""Demo data (演示数据, ``flask --app wsgi demo``): a realistic recent stretch of ratings and
messages across Jiangxi, so that a new installation shows every page of the dashboard filled.

Everything goes through the service's own functions, backdated with their ``now``: intake
(scored, placed in a theme, located, linked as a repeat, flagged, a 差评 opening its case),
the handling of each message (dispatch, return, start, reply, close, the citizen's
evaluation, a 不满意 reopening it), the rectification of each 差评, then the facts recounted
and the spike alerts scanned. So the rows, cases, events and audit entries are those real
use would leave; what makes the figures interesting is only how the steps are timed (most on
time, some late, a few never taken). Besides the steady stream it plants hot issues (several
citizens, one place, a few days), two of them spikes of a theme in one county on one day,
repeats (a citizen writing again) and bursts of ratings from one device.

The main stretch covers the last ``days`` days up to now (the current month so far and the
whole previous one, for the figures' comparison), with a thin history of ``history_months``
months before it for the 12-month trend. The demo's ratings and messages carry ids starting
with ``demo-``: a second load finds them and adds nothing.
"""

from __future__ import annotations

import json
import random
import time as clock
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app

from analytics.regions import PROVINCE_CODE
from analytics.workdays import SHANGHAI, is_working_day
from service import handling, intake, store
from service.access import accounts as account_service
from service.access.auth import APP, HANDLER, OFFICIAL, Caller
from service.access.scope import scope_of
from service.api.schemas.messages import MessageIn
from service.api.schemas.ratings import RatingIn
from service.dashboard.pages import OVERVIEW_FIGURES
from service.demo.texts import MessageDraft, Writer, load_texts
from service.handling import rectification
from service.models import Message
from service.reporting import alerts, figures, hot_issues

PREFIX = "demo-"
ACCOUNT_PREFIX = "demo-data-"  # its accounts, revoked at once: nobody signs in as them
#: A working day's office hours (Asia/Shanghai), when staff take their steps.
OFFICE = (time(8, 30), time(17, 30))
#: The hours of the day citizens write at, and how much (07:00 to 23:00).
HOUR_WEIGHTS = [1, 3, 6, 7, 6, 3, 4, 6, 6, 5, 4, 3, 4, 5, 4, 2]
#: How much a weekend or holiday sees of a working day's ratings and messages.
RESTDAY_SHARE = 0.55
#: Per hundred messages, how many citizens write again about the same matter (重复件).
REPEATS = 4
#: The days of each month of thin history that hold its ratings and messages.
HISTORY_DAYS = 4

#: The figures the summary ends with: the dashboard's overview cards.
FIGURE_NAMES = {key: name for key, name, _ in OVERVIEW_FIGURES}

_rating_in, _message_in = RatingIn(), MessageIn()


@dataclass(frozen=True)
class DemoOptions:
    """What to load. The default takes some 30 s on SQLite, where a handling step costs some
    5 ms and a message takes four or five of them: half the ratings and two fifths of the
    messages first thought of, which still fill every page."""

    days: int = 60
    ratings: int = 1500
    messages: int = 600
    history_months: int = 10
    seed: int = 2026


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


def find_loaded() -> tuple[int, int]:
    """How many demo ratings and messages are stored."""
    return store.demo.count_marked(PREFIX)


def load_demo(
    options: DemoOptions,
    *,
    now: datetime | None = None,
    progress: Callable[[int], None] = lambda n: None,
    planned: Callable[[int], None] = lambda n: None,
) -> DemoSummary:
    """Load the demo data up to ``now`` (the present), unless it is loaded already;
    ``planned`` hears how many ratings and messages will come, ``progress`` each one."""
    existing = find_loaded()
    if any(existing):
        return DemoSummary(existing=existing)
    started = clock.monotonic()
    with _scored_and_counted_at_once():
        loader = _Loader(options, now or datetime.now(UTC))
        summary = loader.run(progress, planned)
    summary.seconds = clock.monotonic() - started
    return summary


@contextmanager
def _scored_and_counted_at_once() -> Iterator[None]:
    """Score inline and recount facts at every read while the demo loads, whatever the
    settings: its alerts need every message scored and placed before they are scanned, and no
    worker may be running yet. Only this process's settings change, and only meanwhile."""
    config = current_app.config
    kept = {name: config[name] for name in ("SCORING_MODE", "FACTS_MAX_AGE_SECONDS")}
    config.update(SCORING_MODE="inline", FACTS_MAX_AGE_SECONDS=0)
    try:
        yield
    finally:
        config.update(kept)


@dataclass(order=True)
class _Planned:
    at: datetime
    number: int
    kind: str = field(compare=False)  # rating or message
    what: Any = field(compare=False)  # the rating's body, or the message's draft


class _Loader:
    def __init__(self, options: DemoOptions, now: datetime) -> None:
        self.options, self.now = options, now
        self.today = now.astimezone(SHANGHAI).date()
        self.first_day = self.today - timedelta(days=options.days - 1)
        self.rng = random.Random(options.seed)
        self.writer = Writer(
            store.reference.fetch_region_index(),
            store.reference.fetch_catalog(),
            load_texts(),
            options.seed,
        )
        self.app = _account("app", APP)
        self.official = _account("official", OFFICIAL, region_code=PROVINCE_CODE)
        self.scope = scope_of(self.official)
        self.handlers: dict[str, Caller] = {}
        self.history_days: set[date] = set()
        self.summary = DemoSummary(first_day=self.first_day, last_day=self.today)

    # -- the plan -----------------------------------------------------------------------

    def run(self, progress: Callable[[int], None], planned: Callable[[int], None]):
        plan = sorted(self._plan())
        planned(len(plan))
        for entry in plan:
            rng = random.Random(f"{self.options.seed}:{entry.number}")
            if entry.kind == "rating":
                self._rate(entry, rng)
            else:
                self._send(entry, rng)
            progress(1)
        self._recount_facts()
        self._scan_alerts()
        self._take_stock()
        return self.summary

    def _plan(self) -> list[_Planned]:
        rng, writer, options = self.rng, self.writer, self.options
        plan: list[_Planned] = []

        def add(at: datetime, kind: str, what: Any) -> None:
            plan.append(_Planned(at, len(plan), kind, what))

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
        self.summary.history_from = min(p.at for p in plan).astimezone(SHANGHAI).date()
        return plan

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
            self.summary.planted_hot_issues += 1

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

    # -- ratings and their cases --------------------------------------------------------

    def _rate(self, entry: _Planned, rng: random.Random) -> None:
        local = entry.at.astimezone(SHANGHAI)
        transaction = f"{PREFIX}{local:%Y%m%d}{entry.number:06d}"
        body = entry.what or self.writer.rating(rng, transaction)
        data = _rating_in.load({**body, "transaction_id": transaction})
        answer = intake.submit_rating(self.app, data, _ids, None, now=entry.at)
        self.summary.ratings += 1
        case_id = json.loads(answer.body)["rectification_id"]
        if case_id is None:
            return
        self.summary.bad_ratings += 1
        case = store.rectifications.fetch_case(self.scope, case_id)
        self._rectify(case, rng, may_stall=not (data["real_name"] or self._settled(entry.at)))
        self.summary.cases[case.status] += 1

    def _rectify(self, case, rng: random.Random, may_stall: bool) -> None:
        """Verify, rectify and report back, mostly in time; a few cases stall (but not a
        real-name 差评, nor one of the history); the citizen rates some rectifications."""
        handler = self._handler(case.department.code)
        at = case.opened_at
        for action, wait, stall in (("verify", (1, 24), 0.06), ("rectify", (2, 60), 0.05),
                                    ("report", (1, 8), 0.0)):  # fmt: skip
            if may_stall and rng.random() < stall:
                return
            at = self._office(at + timedelta(hours=rng.uniform(*wait)), rng)
            if action == "rectify" and rng.random() < 0.1:  # late
                at = max(at, case.due_at + timedelta(days=rng.uniform(1, 5)))
            if at > self.now:
                return
            rectification.take_step(handler, case, action, self.writer.note(rng, action), now=at)
        at += timedelta(hours=rng.uniform(6, 96))
        if rng.random() < 0.45 and at < self.now:
            stars = rng.choices((5, 4, 3, 2, 1), (40, 35, 15, 6, 4))[0]
            rectification.rate_by_citizen(case, stars, now=at)

    # -- messages and their handling ----------------------------------------------------

    def _send(self, entry: _Planned, rng: random.Random) -> None:
        draft: MessageDraft = entry.what
        data = _message_in.load(draft.body)
        source_id = f"{PREFIX}{entry.at.astimezone(SHANGHAI):%Y%m%d}-{entry.number:06d}"
        answer = intake.submit_message(
            self.app, data, _ids, None, now=entry.at, source_id=source_id
        )
        message = store.messages.fetch_message(self.scope, json.loads(answer.body)["id"])
        self.summary.messages += 1
        self.summary.repeats += message.repeat_of_id is not None
        self._handle(message, draft, rng)
        self.summary.statuses[message.status] += 1

    def _handle(self, message: Message, draft: MessageDraft, rng: random.Random) -> None:
        """Dispatch, start, reply, close and evaluate, each at a moment of office hours after
        the one before; a step due after now is not taken yet. Most steps meet their limit,
        some are late, a few recent messages are never dispatched or never taken up (督办)."""
        stalls = 0.0 if self._settled(message.created_at) else 1.0
        if rng.random() < 0.03 * stalls:
            return
        at = self._office(message.created_at + timedelta(minutes=rng.uniform(20, 300)), rng)
        department = (
            message.department.code
            if message.department
            else self.writer.department(rng, draft.problem, draft.city_code)
        )
        difficulty = (
            "difficult" if rng.random() < draft.problem.get("difficult", 0.1) else "ordinary"
        )
        if not self._step(message, "dispatch", {"department_code": department,
                                                 "difficulty": difficulty}, at):  # fmt: skip
            return
        if rng.random() < 0.04:  # 退单: dispatched to the wrong department
            at = self._office(at + timedelta(hours=rng.uniform(2, 20)), rng)
            if not self._step(message, "return", {"note": self.writer.note(rng, "return")}, at):
                return
            again = self.writer.department(rng, draft.problem, draft.city_code)
            department = again if again != department else f"{PROVINCE_CODE}-ZWB"
            at = self._office(at + timedelta(hours=rng.uniform(1, 6)), rng)
            if not self._step(message, "dispatch", {"department_code": department,
                                                     "difficulty": difficulty}, at):  # fmt: skip
                return
        if rng.random() < 0.04 * stalls:  # dispatched, never taken up
            return
        on_time = rng.random() < 0.85
        due = message.first_contact_due_at
        start = self._within(at, due, rng) if on_time else due + timedelta(hours=rng.uniform(2, 72))
        if not self._step(message, "start", {}, start) or rng.random() < 0.03 * stalls:
            return
        self._answer(message, draft, rng, start, evaluate=True)

    def _answer(self, message, draft, rng, since: datetime, evaluate: bool) -> None:
        """Reply and close by the handling limit (or after it, for some), then perhaps the
        citizen's evaluation; a 不满意 that reopens the message is answered once more."""
        due = message.due_at
        on_time = rng.random() < (0.8 if message.difficulty == "difficult" else 0.88)
        if on_time:
            reply = self._within(since + timedelta(hours=1), due, rng)
        else:
            reply = due + timedelta(hours=rng.uniform(4, 24 * 6))
        if not self._step(message, "reply", {"reply": self.writer.reply(rng, draft)}, reply):
            return
        ordinary_on_time = on_time and message.difficulty != "difficult"
        close = (
            self._within(reply, due, rng)
            if ordinary_on_time
            else reply + timedelta(hours=rng.uniform(0.5, 30))
        )
        if not self._step(message, "close", {}, close) or not evaluate:
            return
        if rng.random() > 0.72:  # not reached in follow-up
            return
        weights = (72, 18, 10) if on_time else (45, 25, 30)
        evaluation = rng.choices(("satisfied", "basically_satisfied", "unsatisfied"), weights)[0]
        data = {"evaluation": evaluation}
        if note := self.writer.evaluation_note(rng, evaluation):
            data["note"] = note
        at = close + timedelta(hours=rng.uniform(4, 72))
        if self._step(message, "evaluate", data, at, self.app) and message.status != "closed":
            self._answer(message, draft, rng, at, evaluate=False)  # reopened

    def _step(self, message: Message, action: str, data: dict, at: datetime, account=None) -> bool:
        """Take the step at ``at``, if that is past; whether it was taken."""
        if at > self.now:
            return False
        if account is None:
            account = (
                self.official if action == "dispatch" else self._handler(message.department.code)
            )
        handling.take_step(account, message, action, data, now=at)
        return True

    # -- then -----------------------------------------------------------------------------

    def _recount_facts(self) -> None:
        """What ``flask facts rebuild`` does, over the days loaded (the other days a step
        moved, a deadline or a closing, it marked for recounting itself)."""
        main = [self.first_day + timedelta(days=n) for n in range(self.options.days)]
        days = sorted(self.history_days | set(main))
        for start in range(0, len(days), 31):
            store.facts.mark_for_recount(days[start : start + 31])
            figures.refresh_facts()

    def _scan_alerts(self) -> None:
        """What ``flask alerts scan`` does each night, for each day whose baseline the main
        stretch covers (earlier days would be measured against days without data, where
        every theme looks like a spike), up to yesterday."""
        first = self.first_day + timedelta(days=current_app.config["SPIKE_BASELINE_DAYS"])
        last = self.today - timedelta(days=1)
        if first > last:
            return
        self.summary.alert_days = (first, last)
        for n in range((last - first).days + 1):
            self.summary.alerts += alerts.scan(first + timedelta(days=n))

    def _take_stock(self) -> None:
        summary, now = self.summary, self.now
        summary.overdue_messages = store.messages.fetch_due(self.scope, before=now)[1]
        summary.overdue_cases = store.rectifications.fetch_cases(self.scope, overdue_at=now)[1]
        month = self.today - timedelta(days=29)
        found = hot_issues.find(PROVINCE_CODE, month - timedelta(days=30), month, self.today)
        summary.hot_issues_found = len(found)
        shown = figures.report(PROVINCE_CODE, "month", self.today, now=now)["figures"]
        for name in FIGURE_NAMES:
            summary.figures[name] = (shown[name]["value"], shown[name]["previous"])

    # -- who and when -------------------------------------------------------------------

    def _settled(self, at: datetime) -> bool:
        """Whether ``at`` lies in the history, where every matter has been dealt with."""
        return at.astimezone(SHANGHAI).date() < self.first_day

    def _handler(self, department_code: str) -> Caller:
        if department_code not in self.handlers:
            self.handlers[department_code] = _account(
                department_code, HANDLER, department_code=department_code
            )
        return self.handlers[department_code]

    def _office(self, at: datetime, rng: random.Random) -> datetime:
        """``at``, or, outside office hours, a moment of the next working morning."""
        local = at.astimezone(SHANGHAI)
        if is_working_day(local.date()) and OFFICE[0] <= local.time() <= OFFICE[1]:
            return at
        day = local.date() + timedelta(days=local.time() > OFFICE[1])
        while not is_working_day(day):
            day += timedelta(days=1)
        start = datetime.combine(day, OFFICE[0], SHANGHAI)
        return max(start, at) + timedelta(minutes=rng.uniform(0, 150))

    def _within(self, after: datetime, before: datetime, rng: random.Random) -> datetime:
        """A moment of office hours between ``after`` and ``before`` (the earlier the
        likelier); soon after ``after`` when there is none (a limit run out already)."""
        if before <= after:
            return after + timedelta(minutes=rng.uniform(10, 120))
        at = after + (before - after) * rng.random() ** 1.5
        office = self._office(at, rng)
        return office if office < before else max(at, after + timedelta(minutes=10))


def _ids(row: dict) -> dict:
    """What the loader reads back of an intake answer."""
    return {"id": row["id"], "rectification_id": row.get("rectification_id")}


def _account(name: str, role: str, **scope: str) -> Caller:
    """The demo's account of ``name`` (made once, revoked at once), as a caller: read once, not
    again at every step of a long run."""
    full = ACCOUNT_PREFIX + name
    account = store.accounts.fetch_account_by_name(full)
    if account is None:
        account, _ = account_service.open_account(full, role, **scope)
        account_service.revoke(account)
    return Caller.of(account)
