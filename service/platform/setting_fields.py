"""The pieces the settings' schema is made of (config.py): a field per kind of setting, with
its meaning and whether it is a secret, the checks of URLs, rate limits and addresses, and
TIME_LIMITS' own field and reading."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many
from marshmallow import ValidationError, fields
from marshmallow.validate import Length, OneOf, Range
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from service.vocabulary import MESSAGE_TYPES

#: The limits a message type may override in TIME_LIMITS, and their defaults (domain.md).
TIME_LIMIT_KINDS = {"first_contact": 1, "ordinary": 5, "difficult": 10}


def check_database_url(value: str) -> None:
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValidationError("Not a database URL (postgresql://… or sqlite:///…).") from None
    if url.get_backend_name() not in ("postgresql", "postgres", "sqlite"):
        raise ValidationError("Only PostgreSQL and SQLite are supported.")


def check_redis_url(value: str) -> None:
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ValidationError("Not a Redis URL (redis://host:6379/0, rediss://… or unix://…).")


def check_rate_limits(value: str) -> None:
    try:
        parse_many(value)
    except ValueError:
        raise ValidationError(
            'Not a rate limit: "N/second", "N/minute", "N/hour" or "N/day", ";" between several.'
        ) from None


def without_blanks(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


def check_address(value: str) -> None:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValidationError("Not host:port (0.0.0.0:9101, 127.0.0.1:9101).")


class TimeLimits(fields.Field):
    """A JSON object of working days: ``first_contact``, ``ordinary``, ``difficult``, or one
    of them for one message type (``complaint.ordinary``); merged over the defaults."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> dict[str, int]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                raise ValidationError(f"Not JSON: {error.msg} at character {error.pos}.") from None
        if not isinstance(value, dict):
            raise ValidationError('Not a JSON object such as {"ordinary": 5}.')
        kinds = "|".join(TIME_LIMIT_KINDS)
        for key, days in value.items():
            kind = key.split(".", 1)[-1]
            message_type = key.split(".", 1)[0] if "." in key else None
            if kind not in TIME_LIMIT_KINDS or (
                message_type is not None and message_type not in MESSAGE_TYPES
            ):
                raise ValidationError(
                    f"Unknown limit {key!r}: {kinds}, or <message type>.<limit> with a type "
                    f"of {', '.join(MESSAGE_TYPES)}."
                )
            if isinstance(days, bool) or not isinstance(days, int) or days < 1:
                raise ValidationError(
                    f"{key}: working days are a whole number from 1, not {days!r}."
                )
        return {**TIME_LIMIT_KINDS, **value}


def time_limit(limits: Mapping[str, int], kind: str, message_type: str) -> int:
    """Working days for ``kind`` (first_contact, ordinary, difficult) of a message type, from
    a TIME_LIMITS setting: the type's own limit where it gives one."""
    return int(limits.get(f"{message_type}.{kind}", limits[kind]))


def setting(field: type[fields.Field], default: Any, doc: str, **options: Any) -> fields.Field:
    """A setting's field; ``secret``: True hides its value wherever it is shown, "password"
    hides only the password of the URL it holds."""
    secret = options.pop("secret", False)
    return field(load_default=default, metadata={"doc": doc, "secret": secret}, **options)


def count(default: int, doc: str, minimum: int = 0) -> fields.Field:
    return setting(fields.Integer, default, doc, validate=Range(min=minimum))


def seconds(default: float, doc: str) -> fields.Field:
    return setting(fields.Float, default, doc, validate=Range(min=0))


def share(default: float, doc: str) -> fields.Field:
    return setting(fields.Float, default, doc, validate=Range(0, 1))


def word(default: str, doc: str, choices: tuple[str, ...] = ()) -> fields.Field:
    check = OneOf(choices) if choices else Length(min=1)
    return setting(fields.String, default, doc, validate=check)


def flag(default: bool, doc: str) -> fields.Field:
    return setting(fields.Boolean, default, doc)


def rate(default: str, doc: str) -> fields.Field:
    return setting(fields.String, default, doc, validate=check_rate_limits)
