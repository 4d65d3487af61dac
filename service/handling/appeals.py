"""申诉复核: the rated department appeals a rating as 误评 (misrated) or 恶意差评 (malicious); an
official of the region decides. Upheld, the rating leaves the figures; it is never deleted,
and the decision is on the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from service import store
from service.access.audit import audit_event
from service.access.auth import Caller
from service.models import Appeal, Rating
from service.platform.errors import fail

REASONS = {"misrated": "误评", "malicious": "恶意差评"}


def file_appeal(
    account: Caller,
    rating: Rating,
    reason: str,
    note: str,
    answer: Callable[[Appeal], None] | None = None,
) -> Appeal:
    if rating.stars > 2:
        fail(
            422,
            "Only a 差评 (1–2 stars) can be appealed.",
            {"json": {"rating_id": ["Not a 差评."]}},
        )
    appeal = Appeal(
        rating_id=rating.id,
        department_id=rating.department_id,
        region_code=rating.region_code,
        reason=reason,
        note=note,
        status="pending",
        filed_by=account.id,
    )
    filed = store.appeals.create_appeal(
        appeal, audit_event("appeal.file", "appeal", detail={"rating_id": rating.id}), answer
    )
    if filed is None:
        fail(409, "This rating was appealed already.", {"json": {"rating_id": ["Appealed."]}})
    return filed


def decide(
    account: Caller,
    appeal: Appeal,
    upheld: bool,
    note: str,
    answer: Callable[[Appeal], None] | None = None,
) -> Appeal:
    if appeal.status != "pending":
        fail(409, f"The appeal is {appeal.status} already.", {"json": {"status": [appeal.status]}})
    outcome = "upheld" if upheld else "rejected"
    changes = {
        "status": outcome,
        "decided_at": datetime.now(UTC),
        "decided_by": account.id,
        "decision_note": note,
    }
    audit = audit_event(f"appeal.{outcome}", "appeal", appeal.id, {"rating_id": appeal.rating_id})
    rating_id, rated_day = appeal.rating_id, store.facts.day_of(appeal.rating.created_at)

    def take_out_of_the_figures(_: Appeal) -> None:
        if upheld:  # and its rectification case, unless already reported, is void
            store.appeals.invalidate_rating(rating_id)
            store.rectifications.void_case_for_rating(rating_id)
            store.facts.mark_dirty(store.facts.RATINGS, rated_day)

    if not store.transitions.advance(
        appeal, "pending", changes, [audit], take_out_of_the_figures, answer
    ):
        fail(409, "The appeal was decided by someone else meanwhile.")
    return appeal
