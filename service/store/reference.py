"""Reference data: regions, departments and service items, loaded by the migrations."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from analytics.regions import Division, RegionMatcher
from service.extensions import db
from service.models import Department, Region, ServiceItem
from service.store.paging import page_of

T = TypeVar("T")


@dataclass
class RegionIndex:
    """All regions in memory: 112 rows that every intake request consults."""

    divisions: dict[str, Division]

    def get(self, code: str) -> Division | None:
        return self.divisions.get(code)

    def child_holding(self, parent: str, code: str | None) -> str | None:
        """The child of ``parent`` that ``code`` is, or lies under; None for anything else."""
        if code is None or self.get(code) is None:
            return None
        chain = [d.code for d in self.ancestors(code)] + [code]
        if parent not in chain:
            return None
        index = chain.index(parent)
        return chain[index + 1] if index + 1 < len(chain) else None

    def children(self, code: str) -> list[Division]:
        return [d for d in self.divisions.values() if d.parent_code == code]

    def ancestors(self, code: str) -> list[Division]:
        """The chain above ``code``, from the province down to its parent."""
        chain = []
        parent = self.divisions[code].parent_code
        while parent:
            chain.append(self.divisions[parent])
            parent = self.divisions[parent].parent_code
        return chain[::-1]

    def descendants(self, code: str) -> list[str]:
        """``code`` and every region under it."""
        found = [code]
        for division in self.children(code):
            found += self.descendants(division.code)
        return found

    def contains(self, outer: str, inner: str) -> bool:
        """Whether region ``inner`` is ``outer`` or lies under it."""
        return inner == outer or any(d.code == outer for d in self.ancestors(inner))

    @cached_property
    def matcher(self) -> RegionMatcher:
        return RegionMatcher(self.divisions.values())

    def __bool__(self) -> bool:
        return bool(self.divisions)


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class ServiceItemRef:
    id: int
    code: str
    name: str
    department: DepartmentRef


@dataclass
class Catalog:
    """Departments and service items in memory, by code: every rating names one."""

    departments: dict[str, DepartmentRef]
    service_items: dict[str, ServiceItemRef]

    @cached_property
    def departments_by_id(self) -> dict[int, DepartmentRef]:
        return {d.id: d for d in self.departments.values()}


def cached_per_app(name: str, load: Callable[[], T], max_age: float | None = None) -> T:
    """``load()``'s value, kept per app (and process). Reference data changes only by
    migration, so one read serves every request; data another process may change is read
    again once older than ``max_age`` seconds. An empty result (a database not yet migrated)
    is not kept."""
    kept = current_app.extensions.get(name)
    if kept is not None and (max_age is None or time.monotonic() - kept[1] < max_age):
        return kept[0]
    value = load()
    if value:
        current_app.extensions[name] = (value, time.monotonic())
    return value


def fetch_region_index() -> RegionIndex:
    """All regions, read once per app."""

    def load() -> RegionIndex:
        rows = db.session.scalars(select(Region).order_by(Region.code))
        return RegionIndex(
            {r.code: Division(r.code, r.name, r.short_name, r.level, r.parent_code) for r in rows}
        )

    return cached_per_app("minsheng.regions", load)


def region_and_below(code: str) -> list[str]:
    """``code`` and the codes of every region under it; unknown codes stand for themselves."""
    index = fetch_region_index()
    return index.descendants(code) if index.get(code) else [code]


def fetch_catalog() -> Catalog:
    """All departments and service items, read once per app."""

    def load() -> Catalog | None:
        departments = {
            d.id: DepartmentRef(d.id, d.code, d.name, d.region_code)
            for d in db.session.scalars(select(Department))
        }
        items = {
            i.code: ServiceItemRef(i.id, i.code, i.name, departments[i.department_id])
            for i in db.session.scalars(select(ServiceItem))
        }
        by_code = {d.code: d for d in departments.values()}
        return Catalog(by_code, items) if by_code else None

    return cached_per_app("minsheng.catalog", load) or Catalog({}, {})


def fetch_departments(
    region_code: str | None = None, *, page: int = 1, page_size: int = 50
) -> tuple[list[Department], int]:
    """One page of departments, optionally of one region only; with the total count."""
    query = select(Department)
    if region_code:
        query = query.where(Department.region_code == region_code)
    return page_of(query, Department.code, page, page_size)


def fetch_service_items(
    department_code: str | None = None,
    region_code: str | None = None,
    *,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[ServiceItem], int]:
    """One page of service items, optionally of one department or region; with the total."""
    query = select(ServiceItem).join(ServiceItem.department)
    if department_code:
        query = query.where(Department.code == department_code)
    if region_code:
        query = query.where(Department.region_code == region_code)
    return page_of(query, ServiceItem.code, page, page_size)
