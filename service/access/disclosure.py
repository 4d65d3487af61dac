"""What each role is shown of a message or a rating, and the audit of what was shown unmasked.

Messages: the handling department reads the citizen's own words and contacts (unless the
citizen chose to be anonymous); every other role reads masked text and no contact. A
confidential message's text is shown to the handler alone.

Links between messages name only messages the reader may open: ``repeat_of`` (and the
``repeats`` of one message) is left empty when the other message lies outside the reader's
scope, as a department's handler reading a repeat of another department's message would find.

Appeals (申诉): the rated department's note, and the official's decision, are free text like any
other: read unmasked by the handler alone.

Ratings: everyone, the rated department included, reads the comment masked. A 差评 is rectified
on its substance; who wrote it, and how to reach them, stays out of the rated department's
hands, so that no one can be pressed to withdraw it (domain.md, "Privacy and trust").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from analytics.privacy import mask_text
from service import store
from service.access.audit import audit_event
from service.models import Appeal, Message, MessageEvent, Rating, RectificationCase
from service.store.scopes import Scope
from service.vocabulary import SUB_SCORES

#: A message's own words: what confidentiality hides from all but its handler.
WORDS = ("title", "content", "reply")
#: What a list read by people (the dashboard's pages and files) shows in place of hidden words.
WITHHELD = "（保密）"


def hidden(scope: Scope, message: Message) -> bool:
    """Whether ``message``'s words are hidden from ``scope``: a confidential message's are its
    handler's alone. The one rule every surface applies (the API, the dashboard, its files)."""
    return message.confidential and not scope.sees_originals


def message_for(scope: Scope, message: Message, in_scope: set[int] | None = None) -> dict[str, Any]:
    """``message`` as ``scope`` may see it; ``in_scope``: the linked ids known to lie in the
    scope (looked up when not given)."""
    if in_scope is None:
        in_scope = store.messages.fetch_ids_in_scope(scope, [message.repeat_of_id])
    secret = hidden(scope, message)
    contact = scope.sees_originals and not message.anonymous
    return {
        "id": message.id,
        "tracking_code": message.tracking_code,
        "type": message.type,
        "status": message.status,
        "title": None if secret else scope.text(message.title),
        "content": None if secret else scope.text(message.content),
        "masked": not scope.sees_originals,
        "confidential": message.confidential,
        "anonymous": message.anonymous,
        "citizen_ref": message.citizen_ref if contact else None,
        "contact_phone": message.contact_phone if contact else None,
        "region_code": message.region_code,
        "region_source": message.region_source,
        "department_code": message.department.code if message.department else None,
        "difficulty": message.difficulty,
        "first_contact_due_at": message.first_contact_due_at,
        "first_contact_at": message.first_contact_at,
        "due_at": message.due_at,
        "reply": None if secret else scope.text(message.reply),
        "reply_quality": message.reply_judgement,
        "replied_at": message.replied_at,
        "closed_at": message.closed_at,
        "evaluation": message.evaluation,
        "evaluated_at": message.evaluated_at,
        "sentiment_score": message.sentiment_score,
        "sentiment_label": message.sentiment_label,
        "sentiment_model": message.sentiment_model,
        "theme_code": message.theme_code,
        "theme_confidence": message.theme_confidence,
        "theme_source": message.theme_source,
        "theme_model": message.theme_model,
        "repeat_of": message.repeat_of_id if message.repeat_of_id in in_scope else None,
        "created_at": message.created_at,
        "updated_at": message.updated_at,
    }


def rating_for(rating: Rating) -> dict[str, Any]:
    scores = {
        name: getattr(rating, f"score_{name}")
        for name in SUB_SCORES
        if getattr(rating, f"score_{name}") is not None
    }
    return {
        "id": rating.id,
        "stars": rating.stars,
        "comment": mask_text(rating.comment),
        "masked": True,
        "valid": rating.valid,
        "real_name": rating.real_name,
        "transaction_id": rating.transaction_id,
        "channel": rating.channel,
        "service_item_code": rating.service_item.code,
        "department_code": rating.department.code,
        "region_code": rating.region_code,
        "scores": scores,
        "sentiment_score": rating.sentiment_score,
        "sentiment_label": rating.sentiment_label,
        "comment_label": rating.comment_label,
        "sentiment_model": rating.sentiment_model,
        "created_at": rating.created_at,
    }


def show_messages(scope: Scope, messages: Sequence[Message]) -> list[dict[str, Any]]:
    """The messages as ``scope`` may see them; a read of originals is audited first."""
    if scope.sees_originals and messages:
        ids = [m.id for m in messages]
        single = len(ids) == 1
        store.audit.commit_event(
            audit_event(
                "message.read" if single else "message.list",
                "message",
                ids[0] if single else None,
                detail=None if single else {"ids": ids},
            )
        )
    in_scope = store.messages.fetch_ids_in_scope(scope, [m.repeat_of_id for m in messages])
    return [message_for(scope, m, in_scope) for m in messages]


def show_listed(scope: Scope, messages: Sequence[Message]) -> list[dict[str, Any]]:
    """The messages as a list read by people shows them (the dashboard's pages and their
    files): as show_messages, but words hidden from ``scope`` read WITHHELD rather than
    empty, so that the reader sees why."""
    shown = show_messages(scope, messages)
    return [
        {**item, **dict.fromkeys(WORDS, WITHHELD)} if hidden(scope, message) else item
        for message, item in zip(messages, shown, strict=True)
    ]


def show_ratings(ratings: Sequence[Rating]) -> list[dict[str, Any]]:
    """The ratings as staff may see them: comments masked for every role."""
    return [rating_for(r) for r in ratings]


def event_for(scope: Scope, message: Message, event: MessageEvent) -> dict[str, Any]:
    """A handling step as ``scope`` may see it: notes and replies masked but for the handler,
    and hidden from everyone else when the message is confidential."""
    department = store.reference.fetch_catalog().departments_by_id.get(event.department_id)
    return {
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "department_code": department.code if department else None,
        "note": None if hidden(scope, message) else scope.text(event.note),
    }


def rectification_for(
    scope: Scope, case: RectificationCase, now: datetime | None = None
) -> dict[str, Any]:
    """A rectification case as ``scope`` may see it: the rating's comment masked for all (as
    with every rating), the department's notes for its own handler only unmasked."""
    now = now or datetime.now(UTC)
    return {
        "id": case.id,
        "rating_id": case.rating_id,
        "stars": case.rating.stars,
        "comment": mask_text(case.rating.comment),
        "real_name": case.rating.real_name,
        "status": case.status,
        "department_code": case.department.code,
        "region_code": case.region_code,
        "opened_at": case.opened_at,
        "due_at": case.due_at,
        "overdue": case.status not in ("reported", "void") and case.due_at < now,
        "verified_at": case.verified_at,
        "verification_note": scope.text(case.verification_note),
        "rectified_at": case.rectified_at,
        "rectification_note": scope.text(case.rectification_note),
        "reported_at": case.reported_at,
        "report_note": scope.text(case.report_note),
        "citizen_stars": case.citizen_stars,
        "citizen_rated_at": case.citizen_rated_at,
    }


def appeal_for(scope: Scope, appeal: Appeal) -> dict[str, Any]:
    """An appeal as ``scope`` may see it: the department's note and the decision's note, free
    text that may quote a citizen's number or address, unmasked for the handler only."""
    return {
        "id": appeal.id,
        "rating_id": appeal.rating_id,
        "reason": appeal.reason,
        "note": scope.text(appeal.note),
        "status": appeal.status,
        "department_code": appeal.department.code,
        "region_code": appeal.region_code,
        "filed_at": appeal.filed_at,
        "decided_at": appeal.decided_at,
        "decision_note": scope.text(appeal.decision_note),
    }
