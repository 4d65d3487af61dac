"""Writes: what a block of store code changes commits as one, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from service.extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block wrote when it ends; if it raises, roll all of it back and raise
    on. The session is left clean either way, for the request's error answer or the job's
    next step, so no caller rolls back by hand."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
