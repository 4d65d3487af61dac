"""The Blueprint every resource uses: flask-smorest's, with a stricter JSON body parser."""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import request
from webargs.flaskparser import FlaskParser

from service.errors import fail

_UNUSABLE = "Not valid text: it holds NUL or a lone surrogate."


class JsonBodyParser(FlaskParser):
    """webargs' parser, refusing what JSON allows but the service cannot keep.

    Deeply nested bodies make ``json.loads`` raise RecursionError, and integers of over 4,300
    digits a ValueError (both 500s before): they are 400s here. Lone
    surrogates (``"\\ud800"``) cannot be encoded to UTF-8 and NUL cannot be stored by
    PostgreSQL, so both would fail at the INSERT. They are refused here, naming the field.
    """

    def _raw_load_json(self, req) -> Any:
        try:
            body = super()._raw_load_json(req)
        except RecursionError:
            fail(400, "Invalid input.", {"json": ["JSON nested too deeply."]})
        except ValueError:  # e.g. an integer of more than 4,300 digits
            fail(400, "Invalid input.", {"json": ["Invalid JSON body."]})
        path = _first_unusable_text(body)
        if path is not None:
            fail(422, "Invalid input.", {"json": {path: [_UNUSABLE]}})
        return body


def _first_unusable_text(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string (value or key) that cannot be stored, or None."""
    if isinstance(value, str):
        return None if _storable(value) else path or "_schema"
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if not _storable(key):  # named so that the answer itself can be encoded
                return child.encode("utf-8", "backslashreplace").decode("utf-8")
            found = _first_unusable_text(item, child)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_unusable_text(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_unusable_arguments() -> None:
    """The same rule for the query string and the path, which the body parser never sees:
    PostgreSQL cannot compare with a text holding NUL (``?department_code=%00`` was a 500,
    found by fuzzing). A query argument is invalid input; no stored row has such a path."""
    for name, value in request.args.items(multi=True):
        if not (_storable(name) and _storable(value)):
            shown = name.encode("utf-8", "backslashreplace").decode("utf-8")
            fail(422, "Invalid input.", {"query": {shown: [_UNUSABLE]}})
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and not _storable(value):
            fail(404, "Nothing is found at this path.", {"path": {name: [_UNUSABLE]}})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()
