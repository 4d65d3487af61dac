"""Reference data: Jiangxi's regions, the departments and their service items, and the
theme taxonomy."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db


class Region(db.Model):
    """An administrative division (行政区划): the province, a city or a county."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    short_name: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)


class Department(db.Model):
    """A government department (部门) of one region."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)


class ServiceItem(db.Model):
    """A government service item (政务服务事项) handled by one department."""

    __tablename__ = "service_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)

    department: Mapped[Department] = relationship(lazy="joined")


class Theme(db.Model):
    """A theme (问题分类) of the taxonomy: three levels in practice, any depth allowed. Never
    deleted, since messages keep their theme: an admin deactivates one instead."""

    __tablename__ = "themes"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("themes.code"), index=True)
    keywords: Mapped[str] = mapped_column(Text, default="[]")  # a JSON list, for the rules
    livelihood: Mapped[str | None] = mapped_column(String(20))  # the policy's 民生 "位"
    active: Mapped[bool] = mapped_column(default=True)
