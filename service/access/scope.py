"""What a caller may see: its Scope (service/store/scopes.py), derived from its account. Store
functions take the Scope and filter in SQL, so out-of-scope rows never leave the database;
only the handling department sees citizens' text unmasked."""

from __future__ import annotations

from analytics.regions import PROVINCE_CODE
from service import store
from service.access.auth import HANDLER, Caller
from service.store.scopes import Scope

#: reported_region's refusals, by which the dashboard finds its own words for them.
UNKNOWN_REGION = "Unknown region code."
NOT_YOURS = "No report of this region for you."


def scope_of(account: Caller) -> Scope:
    originals = account.role == HANDLER
    if account.department_id is not None:
        return Scope(originals, None, account.department_id)
    if account.region_code in (None, PROVINCE_CODE):
        return Scope(originals, None, None)
    regions = store.reference.fetch_region_index()
    return Scope(originals, frozenset(regions.descendants(account.region_code)), None)


def reported_region(account: Caller, requested: str | None) -> str:
    """The region a report is asked for (default: the caller's, else the province): 422 if
    no region has the code, 404 if it lies outside the caller's scope."""
    from service.platform.errors import fail, field_error

    region = requested or account.region_code or PROVINCE_CODE
    if store.reference.fetch_region_index().get(region) is None:
        field_error(422, "region", UNKNOWN_REGION, location="query")
    allowed = scope_of(account).region_codes
    if allowed is not None and region not in allowed:
        fail(404, NOT_YOURS)
    return region
