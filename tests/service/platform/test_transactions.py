"""Store writes commit as one or not at all, and leave the session usable either way."""

import pytest
from sqlalchemy import func, select

from service.access.audit import audit_event
from service.extensions import db
from service.models import AuditEvent
from service.store.transactions import transaction


def events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_block_that_ends_commits_what_it_wrote(app):
    with transaction():
        db.session.add(audit_event("test.kept", "test"))
    db.session.remove()  # a fresh session sees only what was committed
    assert events() == 1


def test_a_block_that_raises_writes_nothing_and_leaves_the_session_usable(app):
    with pytest.raises(RuntimeError), transaction():
        db.session.add(audit_event("test.lost", "test"))
        db.session.flush()  # sent to the database, not committed
        raise RuntimeError("the block fails after writing")
    assert events() == 0
    with transaction():  # no PendingRollbackError: the block rolled back
        db.session.add(audit_event("test.kept", "test"))
    assert events() == 1
