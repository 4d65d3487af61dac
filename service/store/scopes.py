"""Which rows a caller may read, and how much of them: every scoped read of the store takes a
Scope and narrows in SQL, so out-of-scope rows never leave the database. Who gets which scope
is decided above, from the caller's account (service/access/scope.py)."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.privacy import mask_text


@dataclass(frozen=True)
class Scope:
    """``region_codes`` None means every region (the province, or no region restriction);
    ``department_id`` None means every department; ``sees_originals``: citizens' text
    unmasked and their contacts (the handling department alone)."""

    sees_originals: bool
    region_codes: frozenset[str] | None
    department_id: int | None

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
