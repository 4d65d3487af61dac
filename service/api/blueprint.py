"""The Blueprint every resource uses: flask-smorest's, with a stricter JSON body parser."""

from __future__ import annotations

import codecs
import json
from typing import Any

import flask_smorest
from flask import request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from service.platform.errors import fail

_UNUSABLE = "Not valid text: it holds NUL or a lone surrogate."


class JsonBodyParser(FlaskParser):
    """webargs' parser, refusing what JSON allows but the service cannot keep.

    Deeply nested bodies make ``json.loads`` raise RecursionError, and integers of over 4,300
    digits a ValueError (both 500s before): they are 400s here. Lone
    surrogates (``"\\ud800"``) cannot be encoded to UTF-8 and NUL cannot be stored by
    PostgreSQL, so both would fail at the INSERT. They are refused here, naming the field.
    A body that is not UTF-8 and a key given twice are refused too (``load_json_body``).
    """

    def _raw_load_json(self, req) -> Any:
        if not is_json_request(req):
            return core.missing
        try:
            body = load_json_body(req.get_data(cache=True))
        except RecursionError:
            fail(400, "Invalid input.", {"json": ["JSON nested too deeply."]})
        except ValueError:  # e.g. an integer of more than 4,300 digits
            fail(400, "Invalid input.", {"json": ["Invalid JSON body."]})
        path = _first_unusable_text(body)
        if path is not None:
            fail(422, "Invalid input.", {"json": {path: [_UNUSABLE]}})
        return body


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def load_json_body(data: bytes) -> Any:
    """The body's JSON, as RFC 8259 has it: UTF-8, with no key given twice in an object.

    ``json.loads`` keeps the last of two equal keys without a word (``{"stars": 5, "stars":
    1}`` was a rating of 1): such a body is a 422 naming the key. A body in another encoding
    was "Invalid JSON body." with no hint why: it is a 400 that says UTF-8 is needed and what
    the body looks like (UTF-16 or UTF-32 by their byte order marks or zero bytes, as
    ``json.detect_encoding`` reads them; GBK when it decodes as GBK). A UTF-8 byte order mark
    is simply skipped, as RFC 8259 allows: it says nothing false about the text.
    """
    encoding = json.detect_encoding(data)
    if encoding.startswith(("utf-16", "utf-32")):
        _not_utf8(f"it looks like {encoding[:6].upper()}")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        _not_utf8(_what_it_looks_like(data, error))
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as duplicate:
        key = duplicate.key.encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate
        fail(422, "Invalid input.", {"json": {key: ["Given more than once."]}})


def _what_it_looks_like(data: bytes, error: UnicodeDecodeError) -> str:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return f"byte {data[error.start]:#04x} at offset {error.start} is not"
    return "it looks like GBK"


def _not_utf8(why: str) -> None:
    fail(400, f"The body must be JSON in UTF-8; {why}.", {"json": [f"Must be UTF-8; {why}."]})


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

    def arguments(self, schema, **kwargs):
        """flask-smorest's, given a schema instance made once: webargs makes an instance of a
        schema class for every request it parses (a twentieth of a rating intake's CPU), and
        loading keeps nothing on the instance, so one serves every request."""
        return super().arguments(schema() if isinstance(schema, type) else schema, **kwargs)
