"""URL converters for the API's paths: a row id and a tracking code, each matching only what
looks like one, so that a path is routed by what it names and not by whichever rule comes last.

A path part meant as an id that no row can have (``0``, ``-1``, ``1.5``, ``10**30``) still
matches the id route, and is answered 404 there, naming the resource and the part, before the
role is checked: left unmatched, ``/messages/-1`` fell through to the app-only tracking-code
route (a 403 for staff), and other resources answered with werkzeug's page text.
"""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from service.platform.errors import fail
from service.store.intake.messages import TRACKING_CODE_PATTERN

#: The largest id the tables' integer keys hold (PostgreSQL integer; SQLite's go further).
MAX_ID = 2**31 - 1
_NOT_AN_ID = f"Not an id: ids are whole numbers from 1 to {MAX_ID}."
# What a path's id names, where its variable's name does not say it alone.
_NOUNS = {"case_id": "rectification case"}


class NotAnId(str):
    """A path part in an id's place that no row has: the view never sees it."""


class IdConverter(BaseConverter):
    """A positive row id; anything else starting like a number becomes ``NotAnId``. An id past
    the column's range made the database raise (a 500: SQLite past 64 bits, PostgreSQL past 32,
    found by fuzzing), so it is never queried."""

    regex = r"[-+]?[0-9][^/]*"
    part_isolating = True  # werkzeug guesses from the "/" in the regex otherwise
    weight = 50

    def to_python(self, value: str) -> int | NotAnId:
        digits = value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))
        if digits and 1 <= int(value) <= MAX_ID:
            return int(value)
        return NotAnId(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


class TrackingCodeConverter(BaseConverter):
    """A message's tracking code (``JX`` + date + 8 characters), in either case."""

    regex = TRACKING_CODE_PATTERN


def refuse_ids_no_row_has(endpoint: str | None, values: dict | None) -> None:
    """404 for an id no row can have, before anything else runs (the role's check included),
    so that every role asking for it hears the same answer."""
    for name, value in (values or {}).items():
        if isinstance(value, NotAnId):
            noun = _NOUNS.get(name, name.removesuffix("_id").replace("_", " "))
            fail(404, f"No {noun} has this id.", {"path": {name: [_NOT_AN_ID]}})


def id_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_ID}


def tracking_code_schema(converter: TrackingCodeConverter) -> dict:
    return {"type": "string", "pattern": f"^{TRACKING_CODE_PATTERN}$"}
