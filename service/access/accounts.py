"""Opening and revoking accounts, for the CLI and the admin API alike: which scope each role
takes, checked once here."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from analytics.regions import PROVINCE_CODE
from service import store
from service.access.audit import audit_event
from service.access.auth import ADMIN, ANALYST, APP, HANDLER, OFFICIAL, ROLES, Caller
from service.access.token_cache import announce_revocation
from service.models import Account
from service.store.conflicts import NameTaken


class AccountRefused(Exception):
    """An account that cannot be opened as asked; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class AccountExists(AccountRefused):
    """An account of that name exists already: a clash with what is stored (409 over the API),
    not bad input."""


def open_account(
    name: str,
    role: str,
    *,
    region_code: str | None = None,
    department_code: str | None = None,
    expires_at: datetime | None = None,
    actor: Caller | None = None,
    answer: Callable[[Account], None] | None = None,
) -> tuple[Account, str]:
    """Open an account bound to its role's scope; returns it with its token (shown once).

    A handler is bound to a department (and so to its region); an official to a region; an
    analyst to a region, the province by default; apps and admins to nothing.
    """
    name = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(name) <= 100 or any(unicodedata.category(c) == "Cc" for c in name):
        raise AccountRefused("name", "1–100 characters, not blank, no control characters.")
    if role not in ROLES:
        raise AccountRefused("role", f"One of {', '.join(ROLES)}.")
    if store.accounts.fetch_account_by_name(name):
        raise AccountExists("name", f"An account named {name!r} exists already.")
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise AccountRefused("expires_at", "Must lie in the future: its token could never be used.")
    if role in (APP, ADMIN, HANDLER) and region_code is not None:
        raise AccountRefused(
            "region_code", f"A{'n' if role != HANDLER else ''} {role} takes no region."
        )
    if role != HANDLER and department_code is not None:
        raise AccountRefused("department_code", "Only a handler is bound to a department.")
    department_id = None
    if role == HANDLER:
        if department_code is None:
            raise AccountRefused("department_code", "A handler is bound to a department.")
        department = store.reference.fetch_catalog().departments.get(department_code)
        if department is None:
            raise AccountRefused("department_code", "Unknown department code.")
        department_id = department.id
    if role == ANALYST and region_code is None:
        region_code = PROVINCE_CODE
    if role == OFFICIAL and region_code is None:
        raise AccountRefused("region_code", "An official is bound to a region.")
    if region_code is not None and store.reference.fetch_region_index().get(region_code) is None:
        raise AccountRefused("region_code", "Unknown region code.")
    detail = {
        "name": name,
        "role": role,
        "region_code": region_code,
        "department_code": department_code,
    }
    try:
        return store.accounts.create_account(
            name,
            role,
            region_code=region_code,
            department_id=department_id,
            expires_at=expires_at,
            audit=audit_event("account.create", "account", detail=detail, actor=actor),
            answer=answer,
        )
    except NameTaken:  # opened by another request since the check above
        raise AccountExists("name", f"An account named {name!r} exists already.") from None


def revoke(account: Account, actor: Caller | None = None) -> bool:
    """Revoke ``account`` at once, in every process's token cache too; False when it was
    revoked already."""
    if account.revoked_at is not None:
        return False
    store.accounts.revoke_account(
        account, audit=audit_event("account.revoke", "account", account.id, actor=actor)
    )
    announce_revocation(current_app.config["REDIS_URL"])
    return True


DASHBOARD_ROLES = (OFFICIAL, ANALYST)
MIN_PASSWORD_LENGTH = 10
# Checked against when no account has the name, so that a wrong name takes as long as a
# wrong password and does not tell which names exist.
_NOBODY = generate_password_hash("no account has this name")


def set_password(account: Account, password: str, actor: Caller | None = None) -> None:
    """Give an official or analyst a password for the dashboard, which shows the figures only
    they may read in the API (handlers work in their own systems, through the API)."""
    if account.role not in DASHBOARD_ROLES:
        raise AccountRefused("role", f"The {account.role} role does not sign in to the dashboard.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused("password", f"At least {MIN_PASSWORD_LENGTH} characters.")
    store.accounts.update_password_hash(
        account,
        generate_password_hash(password),
        audit=audit_event("account.password", "account", account.id, actor=actor),
    )


def sign_in(name: str, password: str) -> Account | None:
    """The live official's or analyst's account of ``name`` if ``password`` is its password;
    None otherwise, whatever the reason (no such name, no password, revoked, expired, wrong
    password)."""
    account = store.accounts.fetch_account_by_name(unicodedata.normalize("NFC", name).strip())
    if account is None or account.password_hash is None:
        check_password_hash(_NOBODY, password)
        return None
    if not check_password_hash(account.password_hash, password):
        return None
    if account.role not in DASHBOARD_ROLES or store.accounts.fetch_live_account(account.id) is None:
        return None
    return account
