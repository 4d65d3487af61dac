"""The handling of a message (12345 practice), and its time limits.

accepted (受理) → dispatched (转办, by an official, to a department, as ordinary or difficult)
→ in_progress (办理, the handler's first contact) → replied (答复) → closed (办结) → evaluated by
the citizen in follow-up (回访). A handler may return a wrongly dispatched message (退单): it is
accepted again and waits for another dispatch. An unsatisfied evaluation sends a message back
to in_progress when REOPEN_ON_UNSATISFIED is on. Only these steps are allowed: any other is a
409 naming the message's current status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from analytics.workdays import add_working_days
from service.access.auth import APP, HANDLER, OFFICIAL
from service.platform import setting_fields


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    role: str


STEPS = {
    "dispatch": Step(frozenset({"accepted"}), "dispatched", OFFICIAL),
    "start": Step(frozenset({"dispatched"}), "in_progress", HANDLER),
    "return": Step(frozenset({"dispatched", "in_progress"}), "accepted", HANDLER),
    "reply": Step(frozenset({"in_progress"}), "replied", HANDLER),
    "close": Step(frozenset({"replied"}), "closed", HANDLER),
    "evaluate": Step(frozenset({"closed"}), "closed", APP),
}


def time_limit(kind: str, message_type: str) -> int:
    """Working days for ``kind`` (first_contact, ordinary, difficult), per message type if the
    TIME_LIMITS setting says so."""
    return setting_fields.time_limit(current_app.config["TIME_LIMITS"], kind, message_type)


def first_contact_due(accepted_at: datetime, message_type: str) -> datetime:
    return add_working_days(accepted_at, time_limit("first_contact", message_type))


def rectification_due(opened_at: datetime) -> datetime:
    """When a 差评's rectification must be reported back (RECTIFICATION_DAYS working days)."""
    return add_working_days(opened_at, current_app.config["RECTIFICATION_DAYS"])


def handling_due(accepted_at: datetime, message_type: str, difficulty: str) -> datetime:
    """When an ordinary matter must be closed, or a difficult one answered; the clock starts
    at acceptance, not at dispatch."""
    return add_working_days(accepted_at, time_limit(difficulty, message_type))
