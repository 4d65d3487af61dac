"""The demo's loader: it plans a stretch of ratings and messages, then plays each through the
service's own functions at its planned moment (the package's docstring says what it plants)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from flask import current_app

from analytics.regions import PROVINCE_CODE
from analytics.workdays import SHANGHAI, is_working_day
from service import handling, intake, store
from service.access import accounts as account_service
from service.access.auth import APP, HANDLER, OFFICIAL, Caller
from service.access.scope import scope_of
from service.api.schemas.messages import MessageIn
from service.api.schemas.ratings import RatingIn
from service.demo.options import ACCOUNT_PREFIX, PREFIX, DemoOptions
from service.demo.plan import Planned, Planner
from service.demo.summary import FIGURE_NAMES, DemoSummary
from service.demo.texts import MessageDraft, Writer, load_texts
from service.handling import rectification
from service.models import Message
from service.reporting import alerts, figures, hot_issues

#: A working day's office hours (Asia/Shanghai), when staff take their steps.
OFFICE = (time(8, 30), time(17, 30))
_rating_in, _message_in = RatingIn(), MessageIn()


class Loader:
    """Plays a plan through the service's own functions, each rating and message at its moment
    and each handling step at a moment of office hours, then recounts and scans like the nightly
    commands."""

    def __init__(self, options: DemoOptions, now: datetime) -> None:
        self.options, self.now = options, now
        self.writer = Writer(
            store.reference.fetch_region_index(),
            store.reference.fetch_catalog(),
            load_texts(),
            options.seed,
        )
        self.planner = Planner(options, now, self.writer)
        self.today, self.first_day = self.planner.today, self.planner.first_day
        self.app = _account("app", APP)
        self.official = _account("official", OFFICIAL, region_code=PROVINCE_CODE)
        self.scope = scope_of(self.official)
        self.handlers: dict[str, Caller] = {}
        self.summary = DemoSummary(first_day=self.first_day, last_day=self.today)

    def run(self, progress: Callable[[int], None], planned: Callable[[int], None]):
        plan = self.planner.plan()
        self.summary.history_from = self.planner.history_from
        self.summary.planted_hot_issues = self.planner.planted_hot_issues
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

    # -- ratings and their cases --------------------------------------------------------

    def _rate(self, entry: Planned, rng: random.Random) -> None:
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

    def _send(self, entry: Planned, rng: random.Random) -> None:
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
        days = sorted(self.planner.history_days | set(main))
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
