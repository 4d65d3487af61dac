"""Jiangxi's administrative divisions: the province, its 11 cities and 100 county-level
divisions with their official codes, read from our own data file
(``analytics/data/regions/jiangxi.csv``; its README gives the source and the date). Every
reader takes them from here: the migration that loads the regions table, the region read
from a message's text, the places a hot issue names, the masking of place names."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIVISIONS_FILE = Path(__file__).with_name("data") / "regions" / "jiangxi.csv"
PROVINCE_CODE = "360000"
PROVINCE = "province"
CITY = "city"
COUNTY = "county"
LEVELS = (PROVINCE, CITY, COUNTY)
_COUNTY_SUFFIXES = ("区", "县", "市")


@dataclass(frozen=True)
class Division:
    """One administrative division: ``name`` is the full name (南昌市), ``short_name`` the one
    people use (南昌); both are searched in text."""

    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None


def jiangxi_divisions() -> list[Division]:
    """The province, its 11 cities and 100 county-level divisions, parents before children.

    >>> [d.name for d in jiangxi_divisions() if d.code in ("360113", "360404", "360704")]
    ['红谷滩区', '柴桑区', '赣县区']
    """
    return list(_read(DIVISIONS_FILE))


@cache
def _read(path: Path) -> tuple[Division, ...]:
    with path.open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines))
    divisions: list[Division] = []
    taken: set[str] = set()
    for row in rows:
        code, name, level, parent = row["code"], row["name"], row["level"], row["parent_code"]
        if level not in LEVELS:
            raise ValueError(f"{path}: {code} has level {level!r}, not one of {LEVELS}")
        if level == COUNTY:
            short = _county_short_name(name, taken)
        else:
            short = name[:-1]  # 江西省 -> 江西, 南昌市 -> 南昌
            taken.add(short)
        divisions.append(Division(code, name, short, level, parent or None))
    return tuple(divisions)


def _county_short_name(name: str, taken: set[str]) -> str:
    # 红谷滩区 -> 红谷滩, 赣县区 -> 赣县; but 南昌县 stays whole, since 南昌 is the city.
    if name.endswith(_COUNTY_SUFFIXES) and len(name) > 2:
        short = name[:-1]
        if short not in taken:
            return short
    return name
