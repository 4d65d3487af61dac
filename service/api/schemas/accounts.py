"""Accounts and the audit trail."""

from __future__ import annotations

import json

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from service.access.auth import ROLES
from service.api.converters import MAX_ID
from service.api.schemas.fields import REGION_CODE, Moment, Text, UtcDateTime


class AccountIn(Schema):
    name = Text(required=True, validate=Length(1, 100))
    role = fields.String(required=True, validate=OneOf(ROLES))
    region_code = fields.String(
        validate=REGION_CODE, metadata={"description": "An official's or analyst's region."}
    )
    department_code = Text(validate=Length(1, 32), metadata={"description": "A handler's."})
    expires_at = Moment(metadata={"description": "Default: never expires."})


class AccountOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    region_code = fields.String(allow_none=True)
    department_code = fields.Function(lambda a: a.department.code if a.department else None)
    created_at = UtcDateTime()
    expires_at = UtcDateTime(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)


class AccountCreated(AccountOut):
    token = fields.String(
        allow_none=True,
        metadata={
            "description": "Shown in this answer only; never stored, so an Idempotency-Key "
            "replay answers null: revoke the account and create another."
        },
    )


class AuditQuery(Schema):
    account_id = fields.Integer(validate=Range(1, MAX_ID))
    action = fields.String(metadata={"description": "e.g. account.create, message.read"})
    object_type = fields.String()
    object_id = fields.String()
    since = Moment()
    until = Moment()


class AuditEventOut(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    account_id = fields.Integer(allow_none=True)
    actor = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    detail = fields.Function(lambda e: json.loads(e.detail) if e.detail else None)
    remote_addr = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
