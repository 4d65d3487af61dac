"""Answers to POSTs that create, with ``Idempotency-Key`` replay."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from datetime import timedelta

from flask import Response, current_app, request

from service import store
from service.access.auth import Caller, current_account
from service.platform.errors import fail
from service.store.intake.idempotency import IN_PROGRESS, IdempotencyKey, StoredAnswer

logger = logging.getLogger(__name__)

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


def idempotency_key(account: Caller | None = None) -> IdempotencyKey | None:
    """The request's key, bound to its caller (``account``, by default the one signed in),
    method, path and JSON body.

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
        account_id=(account or current_account()).id,
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


def once_per_key(key: IdempotencyKey | None, answer: Callable[[], Response]) -> Response:
    """``answer`` the request once per key: a retry, and a twin sent at the same moment, get
    the first answer's status and body back unchanged.

    The first request to claim the key answers; a twin finds the claim and waits for the
    answer, up to IDEMPOTENCY_WAIT_SECONDS (409 after that: the first is still running, and
    the twin may retry). A request refused gives its claim up, so its retry runs anew."""
    if key is None:
        return answer()
    config = current_app.config
    abandoned_after = timedelta(seconds=config["IDEMPOTENCY_ABANDONED_SECONDS"])
    give_up_at = time.monotonic() + config["IDEMPOTENCY_WAIT_SECONDS"]
    while (stored := store.idempotency.claim(key, abandoned_after)) is IN_PROGRESS:
        if time.monotonic() >= give_up_at:
            fail(
                409,
                "A request with this Idempotency-Key is still being answered: retry shortly.",
                {"headers": {IDEMPOTENCY_HEADER: ["In use by a request still running."]}},
            )
        time.sleep(0.05)
    if stored is not None:
        return respond(stored)
    try:
        return answer()
    except BaseException:
        try:
            store.idempotency.release(key)
        except Exception:  # the claim is taken over once abandoned
            logger.warning("could not release Idempotency-Key %r", key.key, exc_info=True)
        raise


def created(create: Callable[[IdempotencyKey | None], StoredAnswer]) -> Response:
    """Run ``create`` once per key: a retry gets the stored status and body back unchanged."""
    key = idempotency_key()
    return once_per_key(key, lambda: respond(create(key)))


def is_replay(account: Caller) -> bool:
    """The request carries an Idempotency-Key of ``account`` already answered: it will be
    answered from the stored answer, and does nothing."""
    key = idempotency_key(account)
    if key is None:
        return False
    return store.idempotency.fetch_answer(key) not in (None, IN_PROGRESS)


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
    answered: dict[str, str] = {}

    def remember(changed: object) -> None:
        answered["body"] = store.idempotency.as_json(render(changed))
        if key is not None:
            store.idempotency.add_answer(key, status, answered["body"])

    def answer() -> Response:
        changed = run(remember)
        body = answered.get("body") or store.idempotency.as_json(render(changed))
        return respond(StoredAnswer(status, body, replayed=False))

    return once_per_key(key, answer)
