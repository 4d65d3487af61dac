"""Database connections, tested before use only when they sat idle in the pool.

SQLAlchemy's ``pool_pre_ping`` tests a connection at every checkout: one more round trip to
the database before each request's first statement, a tenth of a rating intake's time. Under
load a connection goes back to work milliseconds after it was returned, while what kills
connections (the database restarted, an idle timeout on the way) strikes those that waited.
So a connection is tested only after DATABASE_PING_AFTER_SECONDS in the pool, the way
SQLAlchemy's documentation tests them in a checkout handler: a dead one is replaced before
anyone uses it. One that dies in between fails its statement; SQLAlchemy then takes every
connection of the pool for stale, and that request alone gets the 503 of a database away.
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

_RETURNED = "minsheng.returned_at"


def ping_idle_connections(engine: Engine, after_seconds: float) -> None:
    """Ping each connection ``engine`` hands out that sat ``after_seconds`` or more in its
    pool since it was last returned (a new connection is not pinged)."""

    @event.listens_for(engine, "checkin")
    def note_return(dbapi_connection, record) -> None:
        record.info[_RETURNED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, proxy) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned < after_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out another (three tries).
            raise DisconnectionError(f"an idle connection is gone: {error}") from error
