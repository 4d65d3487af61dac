"""Audit events for what callers do and read, with who, when and from where."""

from __future__ import annotations

import getpass
import json
from datetime import datetime

from flask import g, has_request_context, request

from service.access.auth import Caller
from service.models import AuditEvent


def audit_event(
    action: str,
    object_type: str,
    object_id: object | None = None,
    detail: dict | None = None,
    actor: Caller | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """An event by ``actor`` (default: the caller of this request; outside a request, the
    operating-system user running the command), at ``now`` (default: when it is stored), so
    that a step taken at a given moment is audited at that moment too."""
    if actor is None and has_request_context():
        actor = g.get("account")
    in_request = has_request_context()
    when = {"at": now} if now is not None else {}  # else the column's default
    return AuditEvent(
        **when,
        account_id=actor.id if actor else None,
        actor=actor.name if actor else f"cli:{getpass.getuser()}",
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        remote_addr=request.remote_addr if in_request else None,
        request_id=g.get("request_id") if in_request else None,
    )
