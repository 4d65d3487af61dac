"""What a caller may see: its scope, derived from its account, and the masking that goes with
it. Store functions take a Scope and filter in SQL, so out-of-scope rows never leave the
database."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.privacy import mask_text
from analytics.regions import PROVINCE_CODE
from service import store
from service.access.auth import HANDLER, Caller

#: reported_region's refusals, by which the dashboard finds its own words for them.
UNKNOWN_REGION = "Unknown region code."
NOT_YOURS = "No report of this region for you."


@dataclass(frozen=True)
class Scope:
    """``region_codes`` None means every region (the province, or no region restriction);
    ``department_id`` None means every department."""

    role: str
    region_codes: frozenset[str] | None
    department_id: int | None

    @property
    def sees_originals(self) -> bool:
        """Only the handling department reads citizens' text unmasked and their contacts."""
        return self.role == HANDLER

    def text(self, value: str | None) -> str | None:
        """``value`` as this caller may read it."""
        return value if self.sees_originals else mask_text(value)

    def filters(self, model: type) -> list:
        """The SQL conditions that keep rows of ``model`` (which has ``department_id`` and
        ``region_code``) to this scope: the one place every scoped read is narrowed."""
        conditions = []
        if self.department_id is not None:
            conditions.append(model.department_id == self.department_id)
        if self.region_codes is not None:
            conditions.append(model.region_code.in_(sorted(self.region_codes)))
        return conditions


def scope_of(account: Caller) -> Scope:
    if account.department_id is not None:
        return Scope(account.role, None, account.department_id)
    if account.region_code in (None, PROVINCE_CODE):
        return Scope(account.role, None, None)
    regions = store.reference.fetch_region_index()
    return Scope(account.role, frozenset(regions.descendants(account.region_code)), None)


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
