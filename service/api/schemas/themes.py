"""The theme taxonomy, kept by admins, and a theme corrected by staff."""

from __future__ import annotations

import json

from marshmallow import Schema, fields
from marshmallow.validate import Length, Regexp

from service.api.schemas.fields import Text


class ThemeCorrectionIn(Schema):
    theme_code = Text(
        required=True, validate=Length(1, 60), metadata={"description": "An active theme."}
    )
    note = Text(validate=Length(1, 500), metadata={"description": "Why, for the audit trail."})


_THEME_CODE = Regexp(r"^[a-z0-9][a-z0-9_.-]*$", error="Lower-case letters, digits, '.', '_', '-'.")


class ThemeIn(Schema):
    code = Text(required=True, validate=[Length(1, 60), _THEME_CODE])
    name = Text(required=True, validate=Length(1, 100))
    parent_code = Text(validate=Length(1, 60), metadata={"description": "None: a first level."})
    keywords = fields.List(
        Text(validate=Length(1, 30)),
        load_default=list,
        validate=Length(max=200),
        metadata={"description": "For the rules."},
    )
    livelihood = Text(validate=Length(1, 20))


class ThemeChangeIn(Schema):
    name = Text(validate=Length(1, 100))
    keywords = fields.List(Text(validate=Length(1, 30)), validate=Length(max=200))
    active = fields.Boolean(metadata={"description": "false: no longer placed into."})


class ThemeNodeOut(Schema):
    code = fields.String()
    name = fields.String()
    parent_code = fields.String(allow_none=True)
    keywords = fields.Function(
        lambda t: json.loads(t.keywords), metadata={"description": "For the rules."}
    )
    livelihood = fields.String(
        allow_none=True, metadata={"description": "The policy's 民生 theme, if one."}
    )
    active = fields.Boolean()
