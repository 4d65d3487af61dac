"""Bearer-token authentication and the roles each endpoint admits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from flask import g, request

from service import store
from service.errors import fail
from service.models import Account

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


def current_account() -> Account:
    return g.account


def account_of_request() -> Account | None:
    """The live account of the request's bearer token, or None; refuses nothing (for what runs
    before the view, as the rate limits do)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return store.accounts.fetch_account_by_token(token.strip())


def _authenticate() -> Account:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        fail(401, "Send 'Authorization: Bearer <token>'.", **{"WWW-Authenticate": "Bearer"})
    account = store.accounts.fetch_account_by_token(token.strip())
    if account is None:
        fail(401, "The token is unknown, revoked or expired.", **{"WWW-Authenticate": "Bearer"})
    return account
