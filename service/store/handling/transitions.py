"""Moving a row with a ``status`` from one status to the next, atomically, with the rows that
record the move (an event, an audit entry, an Idempotency-Key's answer) in the same commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import update

from service.extensions import db
from service.models import utcnow
from service.store.transactions import transaction

T = TypeVar("T")


def advance(
    obj: T,
    from_status: str,
    changes: dict[str, Any],
    records: Iterable[db.Model] = (),
    *then: Callable[[T], None] | None,
    unset: Sequence[str] = (),
) -> bool:
    """Update ``obj`` only if it is still ``from_status`` (one conditional UPDATE, so that of
    two concurrent moves exactly one wins), add ``records``, call each of ``then`` with the
    updated object (what else must commit with the move: an upheld appeal's invalidation, an
    Idempotency-Key's answer), and commit. ``unset`` names columns that must still be empty,
    for a step that leaves the status as it was (an evaluation, a citizen's rating): the status
    alone would let two of them through. False, with nothing written, when someone moved it
    first."""
    model = type(obj)
    values = dict(changes)
    if hasattr(model, "updated_at"):
        values["updated_at"] = utcnow()
    moved = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.status == from_status)
        .where(*(getattr(model, column).is_(None) for column in unset))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        return False
    with transaction():
        db.session.add_all(list(records))
        db.session.flush()
        db.session.expire(obj)
        for step in then:
            if step is not None:
                step(obj)
    return True
