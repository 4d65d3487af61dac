"""Taking in ratings and messages: checking references, scoring, and storing in one step.

The views parse and render; these functions decide. Scoring runs before the transaction opens,
so no database connection is held while the CPU works.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from analytics import sentiment
from service import store
from service.errors import field_error
from service.models import Account, Message, Rating
from service.store.idempotency import IdempotencyKey, StoredAnswer
from service.vocabulary import REGION_EXTRACTED, REGION_GIVEN, REGION_UNKNOWN


def score(text: str | None) -> sentiment.Sentiment:
    """Score a text with the configured neutral band."""
    config = current_app.config
    return sentiment.score_text(
        text,
        negative_below=config["SENTIMENT_NEGATIVE_BELOW"],
        positive_above=config["SENTIMENT_POSITIVE_ABOVE"],
    )


def submit_rating(
    account: Account, data: dict, render: Callable[[Rating], dict], key: IdempotencyKey | None
) -> StoredAnswer:
    """Take in one 好差评 rating; its department and region follow from its service item."""
    item = store.reference.fetch_service_item_by_code(data["service_item_code"])
    if item is None:
        field_error(422, "service_item_code", "Unknown service item.")
    department = item.department
    if data.get("department_code") not in (None, department.code):
        field_error(
            422, "department_code", f"Service item {item.code} belongs to {department.code}."
        )
    region_code = data.get("region_code") or department.region_code
    regions = store.reference.fetch_region_index()
    if regions.get(region_code) is None:
        field_error(422, "region_code", "Unknown region code.")
    if not regions.contains(department.region_code, region_code):
        field_error(
            422, "region_code", f"Not within {department.region_code}, the department's region."
        )
    store.ratings.refuse_duplicate(data["transaction_id"], data["channel"])

    text = score(data.get("comment"))
    rating = Rating(
        stars=data["stars"],
        comment=data.get("comment"),
        transaction_id=data["transaction_id"],
        channel=data["channel"],
        service_item_id=item.id,
        department_id=department.id,
        region_code=region_code,
        sentiment_score=text.score,
        sentiment_label=sentiment.rating_label(data["stars"], text.label),
        sentiment_model=text.model_version,
        account_id=account.id,
        **{f"score_{name}": value for name, value in (data.get("scores") or {}).items()},
    )
    rating.service_item, rating.department = item, department
    return store.ratings.create_rating(rating, render, key)


def submit_message(
    account: Account, data: dict, render: Callable[[Message], dict], key: IdempotencyKey | None
) -> StoredAnswer:
    """Take in one 诉求 message; an explicit region wins over a place named in the text."""
    regions = store.reference.fetch_region_index()
    region_code, region_source = data.get("region_code"), REGION_GIVEN
    if region_code is not None and regions.get(region_code) is None:
        field_error(422, "region_code", "Unknown region code.")
    if region_code is None:
        found = regions.matcher.find(f"{data['title']}\n{data['content']}")
        region_code = found.code if found else None
        region_source = REGION_EXTRACTED if found else REGION_UNKNOWN
    department = None
    if data.get("department_code") is not None:
        department = store.reference.fetch_department_by_code(data["department_code"])
        if department is None:
            field_error(422, "department_code", "Unknown department code.")

    text = score(f"{data['title']}。{data['content']}")
    message = Message(
        type=data["type"],
        title=data["title"],
        content=data["content"],
        region_code=region_code,
        region_source=region_source,
        department_id=department.id if department else None,
        citizen_ref=data.get("citizen_ref"),
        contact_phone=data.get("contact_phone"),
        anonymous=data["anonymous"],
        confidential=data["confidential"],
        status="accepted",
        sentiment_score=text.score,
        sentiment_label=text.label,
        sentiment_model=text.model_version,
        account_id=account.id,
    )
    message.department = department
    return store.messages.create_message(message, render, key)
