"""The fields every schema builds on: text that can be stored (no control characters, no
blank), phone numbers, days and moments in Asia/Shanghai, stars, message types, and values
computed from a row."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, time

from marshmallow import ValidationError, fields
from marshmallow.validate import OneOf, Range, Regexp

from analytics.kpis import FIRST_DAY, LAST_DAY, OUT_OF_RANGE
from analytics.workdays import SHANGHAI
from service.vocabulary import MESSAGE_TYPE_ALIASES, MESSAGE_TYPES

#: What a region code must look like wherever one is taken: six digits (a code no region has
#: is refused later, by the view, naming the field).
REGION_CODE = Regexp(r"^\d{6}$", error="A region code is six digits.")
# Mainland mobile (13812345678) or landline with area code (079186123456), once spaces,
# dashes and a +86 before a mobile are taken out.
_PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{9,11}$")


class UtcDateTime(fields.AwareDateTime):
    """Times go out in ISO 8601, in UTC, whatever zone they were computed in (deadlines are
    computed in Asia/Shanghai)."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


# Control characters (Unicode category Cc: C0, DEL and C1), as a regular expression class;
# multiline text keeps its line breaks and tabs.
_CONTROLS = r"\x00-\x1f\x7f-\x9f"
_CONTROLS_BUT_BREAKS_AND_TABS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"


def _text_pattern(*, multiline: bool, blank_allowed: bool) -> str:
    refused = _CONTROLS_BUT_BREAKS_AND_TABS if multiline else _CONTROLS
    if blank_allowed:
        return rf"^[^{refused}]*$"
    return rf"^[^{refused}]*[^\s{refused}][^{refused}]*$"


class Text(fields.String):
    """Input text as it is kept: NFC-normalised, trimmed, not blank, and free of control
    characters (line breaks and tabs are allowed in ``multiline`` text). ``blank_is_none``:
    an empty optional comment means no comment."""

    def __init__(self, *, multiline: bool = False, blank_is_none: bool = False, **kwargs):
        # The same rule as a pattern in the OpenAPI document, so that clients, and the
        # fuzzing's generated cases, know what is taken (C0 and C1 controls are category Cc).
        pattern = _text_pattern(multiline=multiline, blank_allowed=blank_is_none)
        kwargs["metadata"] = {"pattern": pattern, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)
        self.allowed_controls = "\n\r\t" if multiline else ""
        self.blank_is_none = blank_is_none

    def _deserialize(self, value, attr, data, **kwargs):
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))
        text = text.strip()
        if not text:
            if self.blank_is_none:
                return None
            raise ValidationError("Must not be blank.")
        if any(unicodedata.category(c) == "Cc" and c not in self.allowed_controls for c in text):
            raise ValidationError("Must not contain control characters.")
        return text

    def _validate(self, value):
        if value is not None:  # a blank that became "no comment" has no length to check
            super()._validate(value)


class PhoneNumber(Text):
    """A contact number, kept in one form (13812345678, 079186123456) however it was typed
    (+86 138 1234 5678, 0791-86123456), so that one citizen's number is one number when
    repeats are linked and citizens counted. The document's pattern gives the kept forms, with
    an optional +86 or 0086 (spaces and dashes between the digits are taken too)."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {
            **kwargs.get("metadata", {}),
            "pattern": r"^(?:(?:\+86|0086)?1[3-9]\d{9}|0\d{9,11})$",
        }
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = re.sub(r"[\s-]", "", super()._deserialize(value, attr, data, **kwargs))
        number = re.sub(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)", "", number)
        if not _PHONE.match(number):
            raise ValidationError("Not a mainland mobile or landline number.")
        return number


class Day(fields.Date):
    """A calendar day a report can be about (analytics.kpis.reportable), so that the periods
    around it stay within the calendar."""

    def __init__(self, **kwargs) -> None:
        super().__init__(validate=Range(FIRST_DAY, LAST_DAY, error=OUT_OF_RANGE), **kwargs)


class Moment(fields.AwareDateTime):
    """A time a caller gives (``now``, ``since``, ``expires_at``): on a day a report can be
    about, in Asia/Shanghai, as ``Day``; a much later or earlier one overflows the calendar in
    the periods, time limits and time zones computed from it."""

    def __init__(self, **kwargs) -> None:
        first = datetime.combine(FIRST_DAY, time.min, SHANGHAI)
        last = datetime.combine(LAST_DAY, time.max, SHANGHAI)
        error = f"A time from {FIRST_DAY.year} to {LAST_DAY.year} (Asia/Shanghai)."
        super().__init__(validate=Range(first, last, error=error), **kwargs)


class Flag(fields.Boolean):
    """A JSON true or false, nothing else: "yes", "on" and 0 are refused, since some of these
    flags decide things that cannot be undone (an upheld appeal)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 1 == True in Python: test the type, not the value
            raise ValidationError("Must be true or false.")
        return value


class Stars(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=Range(1, 5), **kwargs)


class MessageType(fields.String):
    """Takes 投诉 or complaint (any case, and a few synonyms); stores the English code.

    The OneOf puts the six codes in the OpenAPI document as an enum (a code always passes it),
    so that a client, and the generated cases of the fuzzing, know what to send: with a free
    string there, no generated case ever created a message."""

    def __init__(self, **kwargs):
        super().__init__(validate=OneOf(tuple(MESSAGE_TYPES)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        code = MESSAGE_TYPE_ALIASES.get(text)
        if code is None:
            choices = ", ".join(f"{c} ({n})" for c, n in MESSAGE_TYPES.items())
            raise ValidationError(f"Must be one of: {choices}.")
        return code


class Computed(fields.Nested):
    """A nested object computed from the whole row (``compute(row)``), documented in the
    OpenAPI document by its schema, which a plain ``fields.Function`` would leave blank."""

    def __init__(self, compute, nested, **kwargs) -> None:
        super().__init__(nested, dump_only=True, **kwargs)
        self.compute = compute

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.compute(obj)
