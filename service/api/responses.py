"""Answers to POSTs that create, with ``Idempotency-Key`` replay."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

from flask import Response, current_app, request

from service import store
from service.auth import current_account
from service.errors import fail
from service.store.idempotency import IdempotencyKey, StoredAnswer

IDEMPOTENCY_HEADER = "Idempotency-Key"
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")
#: OpenAPI description of the header, for the views that create: ``@blp.doc(**IDEMPOTENT)``.
IDEMPOTENT = {
    "parameters": [
        {
            "in": "header",
            "name": IDEMPOTENCY_HEADER,
            "required": False,
            "schema": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "pattern": "^[\\x20-\\x7e]+$",
            },
            "description": "Retry safely: the same key and body get the first answer back; "
            "the same key with another body gets 422.",
        }
    ]
}


def idempotency_key() -> IdempotencyKey | None:
    """The request's key, bound to its caller, method, path and JSON body.

    400 for a key sent empty, longer than 255 characters or other than printable ASCII (as
    HTTP's structured strings are; a NUL cannot even be stored): a client that sends the header
    means to be safe, and must not silently lose that.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not (1 <= len(key) <= 255 and _PRINTABLE_ASCII.fullmatch(key)):
        fail(
            400,
            "Idempotency-Key must be 1–255 printable ASCII characters.",
            {"headers": {IDEMPOTENCY_HEADER: ["1–255 printable ASCII characters."]}},
        )
    body = canonical_json(request.get_data())
    return IdempotencyKey(
        account_id=current_account().id,
        key=key,
        fingerprint=store.idempotency.fingerprint(request.method, request.path, body),
        ttl=timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"]),
    )


def canonical_json(raw: bytes) -> bytes:
    """The body as sorted, compact JSON, so that key order and spacing do not make two
    requests different; bytes that are not JSON stay as they are."""
    try:
        return json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        return raw


def created(create: Callable[[IdempotencyKey | None], StoredAnswer]) -> Response:
    """Run ``create`` once per key: a retry gets the stored status and body back unchanged."""
    key = idempotency_key()
    answer = store.idempotency.fetch_answer(key) if key else None
    return respond(answer if answer is not None else create(key))


def respond(answer: StoredAnswer) -> Response:
    """The answer as sent, marked when it is a replay."""
    response = Response(answer.body, status=answer.status_code, mimetype="application/json")
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(
    run: Callable[[Callable[[object], None]], object],
    render: Callable[[object], dict],
    status: int = 200,
) -> Response:
    """The answer to a POST that changes something, once per Idempotency-Key: ``run`` gets a
    callback to call with the changed object inside its transaction, so that the stored
    answer commits with the change."""
    key = idempotency_key()
    stored = store.idempotency.fetch_answer(key) if key else None
    if stored is not None:
        return respond(stored)
    answered: dict[str, str] = {}

    def remember(changed: object) -> None:
        answered["body"] = store.idempotency.as_json(render(changed))
        if key is not None:
            store.idempotency.add_answer(key, status, answered["body"])

    changed = run(remember)
    body = answered.get("body") or store.idempotency.as_json(render(changed))
    return respond(StoredAnswer(status, body, replayed=False))
