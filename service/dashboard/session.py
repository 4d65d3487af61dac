"""Signing staff in and out of the dashboard. The session is Flask's signed cookie, so any
instance that shares SECRET_KEY can serve it and nothing is kept in one process; what it
holds is checked against the database on every page: a revoked or expired account, or a
changed password, ends it. It also ends DASHBOARD_IDLE_MINUTES after the last page, and
DASHBOARD_SESSION_HOURS after signing in.

A signed cookie cannot be withdrawn: clearing it in the browser at 退出 leaves any copy of it
(a shared computer's, a proxy log's, a stolen one) valid until it expires. So each sign-in is
also recorded in the database (``dashboard_sessions``), by the SHA-256 of a random id that
only the cookie holds, and a page is shown only while that record exists; signing out deletes
it. This is per session, not per account (a "signed out at" time on the account would end
the official's sessions on every other computer too), and costs one primary-key read per
page, beside the account's own. The idle and longest times stay in the signed cookie: a
replayed older copy carries an older time, so replaying cannot extend them."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from flask import abort, current_app, g, redirect, request, session, url_for

from service import store
from service.access.auth import Caller
from service.dashboard.pages import PAGE_ROLES
from service.models import Account

F = TypeVar("F", bound=Callable)


def begin(account: Account, now: datetime | None = None) -> None:
    """Sign ``account`` in: a new session (nothing carried over from before signing in)."""
    now = now or datetime.now(UTC)
    moment = now.timestamp()
    end()
    key = secrets.token_urlsafe(32)
    longest = timedelta(hours=current_app.config["DASHBOARD_SESSION_HOURS"])
    store.accounts.create_dashboard_session(account.id, _digest(key), now, now - longest)
    session.permanent = True
    session.update(
        account=account.id, key=key, password=_fingerprint(account), since=moment, seen=moment
    )


def end() -> None:
    """End the session on the server, so that its cookie is refused if sent again, and forget
    everything, the CSRF token too (and the one this request made of it)."""
    if (key := session.get("key")) is not None:
        store.accounts.delete_dashboard_session(_digest(key))
    session.clear()
    g.pop("csrf_token", None)


def signed_in(now: datetime | None = None) -> Account | None:
    """The account signed in to this session, if the session still holds."""
    account_id = session.get("account")
    if account_id is None:
        return None
    moment = (now or datetime.now(UTC)).timestamp()
    config = current_app.config
    idle = timedelta(minutes=config["DASHBOARD_IDLE_MINUTES"]).total_seconds()
    longest = timedelta(hours=config["DASHBOARD_SESSION_HOURS"]).total_seconds()
    account = store.accounts.fetch_live_account(account_id)
    if (
        account is None
        or store.accounts.fetch_dashboard_session(_digest(session.get("key", "")), account.id)
        is None
        or account.password_hash is None
        or session.get("password") != _fingerprint(account)
        or moment - session.get("seen", 0) > idle
        or moment - session.get("since", 0) > longest
    ):
        end()
        return None
    session["seen"] = moment
    return account


def staff_page(view: F) -> F:
    """A page for a signed-in account; the sign-in page (and back here after) otherwise."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        account = signed_in()
        if account is None:
            return redirect(url_for("dashboard.sign_in", next=request.full_path))
        g.account = Caller.of(account)
        if not may_open(request.endpoint):
            abort(403, "您的角色不能查看此页面（与 API 的权限相同）。")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def may_open(endpoint: str) -> bool:
    """Whether the signed-in account may open the page of ``endpoint`` (pages.PAGE_ROLES)."""
    account = g.get("account")
    return account is not None and account.role in PAGE_ROLES.get(endpoint, ())


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _fingerprint(account: Account) -> str:
    """A digest of the stored password hash: a new password ends the sessions of the old."""
    return hashlib.sha256((account.password_hash or "").encode()).hexdigest()[:16]
