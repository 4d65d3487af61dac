"""差评整改: the rated department verifies a bad rating with the citizen (回访核实), rectifies
(整改) and reports back (反馈), each step with its note and within the case's deadline; then
the citizen may rate the rectification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from service import store
from service.access.audit import audit_event
from service.access.auth import Caller
from service.models import RectificationCase
from service.platform.errors import fail

#: step -> (the status it needs, the status it leaves, the columns it fills)
STEPS = {
    "verify": ("open", "verified", ("verified_at", "verification_note")),
    "rectify": ("verified", "rectified", ("rectified_at", "rectification_note")),
    "report": ("rectified", "reported", ("reported_at", "report_note")),
}


def take_step(
    account: Caller,
    case: RectificationCase,
    action: str,
    note: str,
    answer: Callable[[RectificationCase], None] | None = None,
    now: datetime | None = None,
) -> RectificationCase:
    """Take ``action`` on ``case`` for ``account`` at ``now`` (the present by default); 409
    when the case's status does not allow it, or someone moved it meanwhile."""
    now = now or datetime.now(UTC)
    source, target, (time_column, note_column) = STEPS[action]
    if case.status != source:
        fail(
            409,
            f"The case is {case.status}: {action} needs it {source}.",
            {"json": {"status": [f"Is {case.status}."]}},
        )
    changes = {"status": target, time_column: now, note_column: note}
    audit = audit_event(
        f"rectification.{action}", "rectification", case.id, {"to": target}, now=now
    )
    if not store.transitions.advance(case, source, changes, [audit], _recount(case), answer):
        fail(409, "The case was moved by someone else meanwhile: read it and try again.")
    return case


def _recount(case: RectificationCase) -> Callable[[RectificationCase], None]:
    """Mark the rated day's figures for recounting, in the step's own transaction."""
    day = store.facts.day_of(case.rating.created_at)
    return lambda _: store.facts.mark_dirty(store.facts.RATINGS, day)


def rate_by_citizen(
    case: RectificationCase,
    stars: int,
    answer: Callable[[RectificationCase], None] | None = None,
    now: datetime | None = None,
) -> RectificationCase:
    """The citizen's rating of a reported rectification, once, at ``now`` (default: the
    present)."""
    now = now or datetime.now(UTC)
    if case.status != "reported" or case.citizen_stars is not None:
        state = "rated already" if case.citizen_stars is not None else case.status
        fail(409, f"The rectification is {state}.", {"json": {"stars": [f"Case is {state}."]}})
    changes = {"citizen_stars": stars, "citizen_rated_at": now}
    audit = audit_event(
        "rectification.citizen_rating", "rectification", case.id, {"stars": stars}, now=now
    )
    if not store.transitions.advance(
        case, "reported", changes, [audit], answer, unset=("citizen_stars",)
    ):
        fail(409, "The case was moved by someone else meanwhile.")
    return case
