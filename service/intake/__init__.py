"""Taking in ratings and messages: checking references, scoring, and storing in one step.

The views parse and render; these functions decide. References are checked against the
in-memory catalogue and region index, and scoring runs before the transaction opens, so the
database sees one INSERT and one COMMIT per request. Beside them: a rating's integrity flags
(integrity), a citizen's repeats (repeats) and the import of history from exports
(history_import), which takes messages in as intake does.

The package imports scoring, handling's time limits, the store, the access layer and the
platform; never reporting, the API, the dashboard or the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from analytics.sentiment import Sentiment
from analytics.themes import Placement
from service import scoring, store
from service.access.auth import Caller
from service.handling import lifecycle
from service.intake import integrity, repeats
from service.platform import metrics
from service.platform.errors import field_error
from service.scoring import queue as scoring_queue
from service.scoring import sentiment as sentiment_service
from service.store.intake.idempotency import IdempotencyKey, StoredAnswer
from service.store.reference import DepartmentRef
from service.vocabulary import (
    REGION_DEPARTMENT,
    REGION_EXTRACTED,
    REGION_GIVEN,
    REGION_UNKNOWN,
)

Render = Callable[[dict[str, Any]], dict]


def submit_rating(
    account: Caller,
    data: dict,
    render: Render,
    key: IdempotencyKey | None,
    *,
    now: datetime | None = None,
) -> StoredAnswer:
    """Take in one 好差评 rating; its department and region follow from its service item.
    ``now`` is when it was given (the present; the demo data backdates it)."""
    item = store.reference.fetch_catalog().service_items.get(data["service_item_code"])
    if item is None:
        field_error(422, "service_item_code", "Unknown service item.")
    department = item.department
    if data.get("department_code") not in (None, department.code):
        field_error(422, "department_code", f"{item.code} belongs to {department.code}.")
    region_code = data.get("region_code") or department.region_code
    regions = store.reference.fetch_region_index()
    if regions.get(region_code) is None:
        field_error(422, "region_code", "Unknown region code.")
    if not regions.contains(department.region_code, region_code):
        field_error(422, "region_code", f"Not within {department.region_code}, the department's.")

    queued = scoring_queue.queue_mode()
    text = None
    if queued:
        scored = scoring_queue.pending_values("rating")
    else:
        with metrics.SCORING.labels("rating", "request").time():
            text = sentiment_service.score(data.get("comment"))
        scored = scoring.rating_columns(data["stars"], text)
    scores = data.get("scores") or {}
    rated_at = now or datetime.now(UTC)
    values = {
        "stars": data["stars"],
        "comment": data.get("comment"),
        "transaction_id": data["transaction_id"],
        "channel": data["channel"],
        "service_item_id": item.id,
        "department_id": department.id,
        "region_code": region_code,
        **scored,
        "real_name": data["real_name"],
        "citizen_ref": data.get("citizen_ref"),
        "device_id": data.get("device_id"),
        "account_id": account.id,
        "created_at": rated_at,
        **{f"score_{name}": value for name, value in scores.items()},
    }
    shown = {"service_item_code": item.code, "department_code": department.code, "scores": scores}

    flags = integrity.burst_flags(values)
    if not queued:  # else the scoring job's
        flags += integrity.contradiction_flags(data["stars"], text)
    stored: list[int] = []

    def follow_up(rating_id: int) -> dict:
        # In the rating's own transaction: its day's figures to recount, its flags, and for a
        # 差评 its rectification case.
        store.facts.mark_dirty(store.facts.RATINGS, store.facts.day_of(rated_at))
        store.flags.add_flags(rating_id, values, flags)
        stored.append(rating_id)
        if data["stars"] > 2:
            return {"rectification_id": None}
        due_at = lifecycle.rectification_due(rated_at)
        case_id = store.rectifications.add_case(rating_id, values, rated_at, due_at)
        return {"rectification_id": case_id}

    answer = store.ratings.create_rating(
        values, lambda row: render({**row, **shown}), key, also=follow_up
    )
    _hand_over_scoring("rating", stored, values)
    return answer


def submit_message(
    account: Caller,
    data: dict,
    render: Render,
    key: IdempotencyKey | None,
    *,
    now: datetime | None = None,
    source_id: str | None = None,
) -> StoredAnswer:
    """Take in one 诉求 message. Its region: the code given; else the place its text names,
    if that lies within the region of the department it is addressed to (a 南昌 department's
    message that seems to name 鄱阳 is about 鄱阳村, not 鄱阳县); else the department's region;
    else unknown. ``now`` is when it was accepted (the present; the demo data backdates it),
    ``source_id`` the id of the system it came from, if any (the demo data marks its own)."""
    regions = store.reference.fetch_region_index()
    department = None
    if data.get("department_code") is not None:
        department = store.reference.fetch_catalog().departments.get(data["department_code"])
        if department is None:
            field_error(422, "department_code", "Unknown department code.")
    region_code, region_source = data.get("region_code"), REGION_GIVEN
    if region_code is not None:
        if regions.get(region_code) is None:
            field_error(422, "region_code", "Unknown region code.")
        if department and not regions.contains(department.region_code, region_code):
            field_error(
                422, "region_code", f"Not within {department.region_code}, the department's."
            )
    else:
        region_code, region_source = locate_in_text(data["title"], data["content"], department)
    values = message_values(
        data,
        region_code=region_code,
        region_source=region_source,
        department_id=department.id if department else None,
        account_id=account.id,
        accepted_at=now or datetime.now(UTC),  # the clock of the time limits starts here
        pending=scoring_queue.queue_mode(),
    )
    if source_id is not None:
        values["source_id"] = source_id
    values["repeat_of_id"] = repeats.first_of_matter(
        values["citizen_ref"], values["contact_phone"], values["region_code"], data["title"],
        data["content"], values["created_at"],
    )  # fmt: skip
    shown = {"department_code": department.code if department else None}

    stored: list[int] = []

    def follow_up(message_id: int) -> dict:
        # The figures of the day it came in and of the day its limit runs out change with it.
        store.facts.mark_message_days(values["created_at"], deadlines=[values["due_at"]])
        stored.append(message_id)
        return {}

    answer = store.messages.create_message(
        values, lambda row: render({**row, **shown}), key, also=follow_up
    )
    _hand_over_scoring("message", stored, values)
    return answer


def _hand_over_scoring(kind: str, stored: list[int], values: dict) -> None:
    """In queue mode, after the commit: the new row's scoring job. A replayed answer stored
    nothing new; a queue that does not answer leaves the row to the sweeper, or scores it
    here (SCORE_INLINE_WHEN_QUEUE_DOWN)."""
    if not stored or values["sentiment_model"] != scoring_queue.PENDING:
        return
    if not scoring_queue.enqueues():
        return
    if (
        not scoring_queue.hand_over(kind, stored)
        and current_app.config["SCORE_INLINE_WHEN_QUEUE_DOWN"]
    ):
        scoring_queue.score_now(kind, stored)


def locate_in_text(
    title: str, content: str, department: DepartmentRef | None = None
) -> tuple[str | None, str]:
    """A message's region from the place its text names, if that lies within the region of
    the department it is addressed to; else the department's region; else unknown."""
    regions = store.reference.fetch_region_index()
    found = regions.matcher.find(f"{title}\n{content}")
    if found and department and not regions.contains(department.region_code, found.code):
        found = None
    if found:
        return found.code, REGION_EXTRACTED
    if department:
        return department.region_code, REGION_DEPARTMENT
    return None, REGION_UNKNOWN


def message_values(
    data: dict,
    *,
    region_code: str | None,
    region_source: str,
    department_id: int | None,
    account_id: int,
    accepted_at: datetime,
    scored: tuple[Sentiment, Placement] | None = None,
    pending: bool = False,
) -> dict[str, Any]:
    """The row of an accepted message: scored (unless ``scored`` says how already, or
    ``pending`` leaves it to a worker), placed in a theme, its time limits counted from
    ``accepted_at``. What intake and the import of history share."""
    if pending:
        scores = scoring_queue.pending_values("message")
    else:
        if scored is None:
            with metrics.SCORING.labels("message", "request").time():
                scored = scoring.current().score(data["title"], data["content"])
        text, theme = scored
        scores = scoring.message_columns(text, theme)
    return {
        "type": data["type"],
        "title": data["title"],
        "content": data["content"],
        "region_code": region_code,
        "region_source": region_source,
        "department_id": department_id,
        "citizen_ref": data.get("citizen_ref"),
        "contact_phone": data.get("contact_phone"),
        "anonymous": data.get("anonymous", False),
        "confidential": data.get("confidential", False),
        "status": "accepted",
        "created_at": accepted_at,
        "first_contact_due_at": lifecycle.first_contact_due(accepted_at, data["type"]),
        "due_at": lifecycle.handling_due(accepted_at, data["type"], "ordinary"),
        **scores,
        "account_id": account_id,
    }
