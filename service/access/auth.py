"""Bearer-token authentication and the roles each endpoint admits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from flask import g, request

from service import store
from service.access.callers import Caller
from service.access.token_cache import token_cache
from service.platform.errors import fail

APP = "app"  # a mobile app client: posts ratings and messages, reads a message by its code
HANDLER = "handler"  # department staff: their department's messages, with contact details
OFFICIAL = "official"  # a region's official: everything under the region, masked
ANALYST = "analyst"  # a region's analyst (the province by default): figures, masked text
ADMIN = "admin"  # accounts, reference data, settings
ROLES = (APP, HANDLER, OFFICIAL, ANALYST, ADMIN)
STAFF = (HANDLER, OFFICIAL, ANALYST)
#: Who reads the figures, reports, hot issues and alerts of a region.
FIGURE_READERS = (OFFICIAL, ANALYST)
#: Who reads the 督办 lists: those who chase deadlines (an official) or must meet them (a
#: handler); an analyst studies the figures and chases no one.
SUPERVISION_READERS = (HANDLER, OFFICIAL)

F = TypeVar("F", bound=Callable)
#: Where a request keeps the caller its token names, once looked up.
_CALLER = "minsheng.caller"


def require_roles(*roles: str) -> Callable[[F], F]:
    """Admit callers with a valid, unexpired, unrevoked token of one of ``roles``.

    401 for no or a bad token (the caller must authenticate), 403 for a valid token whose role
    may not do this.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            account = _authenticate()
            if account.role not in roles:
                fail(403, f"The role '{account.role}' may not do this.")
            g.account = account
            return view(*args, **kwargs)

        # flask-smorest reads "manual_doc" into the OpenAPI operation, as @blp.doc would.
        manual_doc = wrapper.__dict__.setdefault("_apidoc", {}).setdefault("manual_doc", {})
        manual_doc["security"] = [{"bearerAuth": []}]
        error = {"$ref": "#/components/responses/DEFAULT_ERROR"}
        manual_doc.setdefault("responses", {}).update({"401": error, "403": error})
        manual_doc["x-roles"] = list(roles)
        return wrapper  # type: ignore[return-value]

    return decorator


def current_account() -> Caller:
    return g.account


def account_of_request() -> Caller | None:
    """The live account of the request's bearer token, or None; refuses nothing. Looked up
    once per request: the rate limits ask before the view (for a replayed Idempotency-Key),
    then the view."""
    token = _bearer_token()
    if token is None:
        return None
    asked = request.environ  # the request's own (g may outlive it, as under a test's context)
    if _CALLER not in asked:
        asked[_CALLER] = caller_of_token(token)
    return asked[_CALLER]


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def caller_of_token(token: str, now: datetime | None = None) -> Caller | None:
    """The live account holding ``token``: from the app's token cache when Redis vouches
    that no revocation came since it was read (service/access/token_cache.py), else from the
    database."""
    now = now or datetime.now(UTC)
    token_hash = store.accounts.hash_token(token)
    cache = token_cache()
    generation = cache.generation() if cache is not None else None
    caller = cache.get(token_hash, generation) if generation is not None else None
    if caller is None:
        account = store.accounts.fetch_account_by_token_hash(token_hash, now)
        if account is None:
            return None
        caller = Caller.of(account)
        if generation is not None:
            cache.put(token_hash, generation, caller)
    return caller if caller.live_at(now) else None


def _authenticate() -> Caller:
    if _bearer_token() is None:
        fail(401, "Send 'Authorization: Bearer <token>'.", **{"WWW-Authenticate": "Bearer"})
    caller = account_of_request()
    if caller is None:
        fail(401, "The token is unknown, revoked or expired.", **{"WWW-Authenticate": "Bearer"})
    return caller
