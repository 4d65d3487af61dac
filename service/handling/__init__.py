"""Handling: what happens to a message and a 差评 after intake. This module moves a message
through its handling: it checks who may take which step on which message, computes what the
step changes, and hands it to the store to apply atomically. Beside it: lifecycle (the
statuses, the time limits in working days), rectification (a 差评's case) and appeals (a
department's appeal of a rating).

The package imports the store, the access layer and the platform; never reporting, the API,
the dashboard or the commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from service import store
from service.access.audit import audit_event
from service.access.auth import Caller
from service.access.scope import scope_of
from service.handling import lifecycle
from service.models import Message, MessageEvent
from service.platform.errors import fail, field_error
from service.store.scopes import Scope


def take_step(
    account: Caller,
    message: Message,
    action: str,
    data: dict[str, Any],
    answer: Callable[[Message], None] | None = None,
    now: datetime | None = None,
) -> Message:
    """Take ``action`` on ``message`` for ``account``; 409 when the message's status does not
    allow it (naming that status), or when someone moved it meanwhile."""
    step = lifecycle.STEPS[action]
    if message.status not in step.sources:
        allowed = ", ".join(sorted(step.sources))
        fail(
            409,
            f"The message is {message.status}: {action} needs it {allowed}.",
            {"json": {"status": [f"Is {message.status}."]}},
        )
    now = now or datetime.now(UTC)
    changes = {"status": step.target, **_CHANGES[action](scope_of(account), message, data, now)}
    event = MessageEvent(
        message_id=message.id,
        at=now,
        account_id=account.id,
        actor=account.name,
        action=action,
        from_status=message.status,
        to_status=changes["status"],
        department_id=changes.get("department_id", message.department_id),
        note=_note(action, data),
        evaluation=data["evaluation"] if action == "evaluate" else None,
    )
    detail = {"from": message.status, "to": changes["status"]}
    if action == "evaluate":
        detail["evaluation"] = data["evaluation"]
    audit = audit_event(f"message.{action}", "message", message.id, detail, now=now)
    unset = ("evaluation",) if action == "evaluate" else ()
    # Every day whose figures the step moves: the department of the day it came in and of its
    # deadline's day, the deadline itself, a closing taken back, a reply replaced (its judged
    # reply counts on its day), and today's step.
    moved = (message.created_at, message.closed_at, message.replied_at, now)
    deadlines = (message.due_at, changes.get("due_at"))

    def recount(_: Message) -> None:
        store.facts.mark_message_days(*moved, deadlines=deadlines)

    if not store.transitions.advance(
        message, message.status, changes, [event, audit], recount, answer, unset=unset
    ):
        fail(409, "The message was moved by someone else meanwhile: read it and try again.")
    return message


def _note(action: str, data: dict) -> str | None:
    if action == "reply":
        return data["reply"]
    if action == "evaluate":  # the event says which evaluation was given
        return data["evaluation"] + (f": {data['note']}" if data.get("note") else "")
    return data.get("note")


def _dispatch(scope: Scope, message: Message, data: dict, now: datetime) -> dict:
    department = store.reference.fetch_catalog().departments.get(data["department_code"])
    if department is None:
        field_error(422, "department_code", "Unknown department code.")
    if scope.region_codes is not None and department.region_code not in scope.region_codes:
        field_error(422, "department_code", "Not a department of your region.")
    return {
        "department_id": department.id,
        "difficulty": data["difficulty"],
        "due_at": lifecycle.handling_due(message.created_at, message.type, data["difficulty"]),
    }


def _start(scope: Scope, message: Message, data: dict, now: datetime) -> dict:
    return {} if message.first_contact_at else {"first_contact_at": now}


def _return(scope: Scope, message: Message, data: dict, now: datetime) -> dict:
    # 退单: the message leaves the department and waits for a dispatch elsewhere.
    return {"department_id": None, "difficulty": None}


def _reply(scope: Scope, message: Message, data: dict, now: datetime) -> dict:
    # A new reply (a reopened message answered again) is judged afresh: the last one's
    # judgement goes with it.
    return {"reply": data["reply"], "replied_at": now, "reply_score": None,
            "reply_quality": None, "reply_model": None}  # fmt: skip


def _close(scope: Scope, message: Message, data: dict, now: datetime) -> dict:
    return {"closed_at": now, "evaluation": None, "evaluated_at": None}


def _evaluate(scope: Scope, message: Message, data: dict, now: datetime) -> dict:
    if message.evaluation is not None:
        fail(409, "This closing was evaluated already.", {"json": {"evaluation": ["Given."]}})
    changes = {"evaluation": data["evaluation"], "evaluated_at": now}
    if data["evaluation"] == "unsatisfied" and current_app.config["REOPEN_ON_UNSATISFIED"]:
        difficulty = message.difficulty or "ordinary"
        changes |= {
            "status": "in_progress",
            "closed_at": None,
            "due_at": lifecycle.handling_due(now, message.type, difficulty),
        }
    return changes


_CHANGES = {
    "dispatch": _dispatch,
    "start": _start,
    "return": _return,
    "reply": _reply,
    "close": _close,
    "evaluate": _evaluate,
}
