"""Signing staff in and out of the dashboard. The session is Flask's signed cookie, so any
instance that shares SECRET_KEY can serve it and nothing is kept in one process; what it
holds is checked against the database on every page: a revoked or expired account, or a
changed password, ends it. It also ends DASHBOARD_IDLE_MINUTES after the last page, and
DASHBOARD_SESSION_HOURS after signing in."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from flask import current_app, g, redirect, request, session, url_for

from service import store
from service.models import Account

F = TypeVar("F", bound=Callable)


def begin(account: Account, now: datetime | None = None) -> None:
    """Sign ``account`` in: a new session (nothing carried over from before signing in)."""
    moment = (now or datetime.now(UTC)).timestamp()
    end()
    session.permanent = True
    session.update(account=account.id, password=_fingerprint(account), since=moment, seen=moment)


def end() -> None:
    """Forget everything, the CSRF token too (and the one this request made of it)."""
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
        g.account = account
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _fingerprint(account: Account) -> str:
    """A digest of the stored password hash: a new password ends the sessions of the old."""
    return hashlib.sha256((account.password_hash or "").encode()).hexdigest()[:16]
