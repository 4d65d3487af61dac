"""Who is calling, as a value: what a request, the token cache and the audit trail need of an
account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.models import Account


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: their account as it stood when the token was checked, held by value so
    that it can be cached between requests and outlives the database session. An account's
    role and scope never change once it exists; what ends it is revocation (which the token
    cache watches) and expiry (which ``live_at`` checks on every use)."""

    id: int
    name: str
    role: str
    region_code: str | None
    department_id: int | None
    expires_at: datetime | None

    @classmethod
    def of(cls, account: Account) -> Caller:
        return cls(
            account.id,
            account.name,
            account.role,
            account.region_code,
            account.department_id,
            account.expires_at,
        )

    def live_at(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now
