"""诉求 messages."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import Message
from service.store.idempotency import IdempotencyKey, StoredAnswer, commit_created, fetch_answer

# Crockford's base32 without I, L, O, U: read aloud over the hotline without confusion.
_TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code(now: datetime | None = None) -> str:
    """``JX`` + date + 8 random characters (40 bits): unguessable, as the code alone reads the
    message's status."""
    day = (now or datetime.now(UTC)).strftime("%y%m%d")
    return "JX" + day + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(8))


def fetch_message_by_tracking_code(code: str) -> Message | None:
    return db.session.scalar(select(Message).where(Message.tracking_code == code.upper()))


def create_message(
    values: dict[str, Any], render: Callable[[dict[str, Any]], dict], key: IdempotencyKey | None
) -> StoredAnswer:
    """Store a new message with a fresh tracking code and its idempotency record; a concurrent
    twin (same key) gets the twin's answer, and a tracking code collision is drawn again."""
    for _ in range(3):
        try:
            numbered = {**values, "tracking_code": new_tracking_code()}
            return commit_created(Message, numbered, render, key)
        except IntegrityError:
            answer = fetch_answer(key) if key else None
            if answer is not None:
                return answer
    raise RuntimeError("could not store the message after three attempts")
