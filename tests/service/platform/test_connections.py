"""A pooled connection is tested before use only when it sat idle; a dead one is replaced."""

from sqlalchemy import text

from service import create_app
from service.extensions import db


def pings_of(app, monkeypatch) -> list:
    with app.app_context():
        dialect = db.engine.dialect
    pings = []
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda c: pings.append(c) or real(c))
    return pings


def test_a_connection_back_to_work_at_once_is_not_tested(app, monkeypatch):
    busy = create_app({**app.config, "DATABASE_PING_AFTER_SECONDS": 60})
    pings = pings_of(busy, monkeypatch)
    for _ in range(3):
        with busy.app_context():
            db.session.execute(text("SELECT 1"))
            db.session.remove()
    assert pings == []


def test_an_idle_connection_is_tested_and_a_dead_one_replaced(app, monkeypatch):
    idle = create_app({**app.config, "DATABASE_PING_AFTER_SECONDS": 0})
    pings = pings_of(idle, monkeypatch)
    with idle.app_context():
        first = db.session.execute(text("SELECT 1")).scalar()
        connection = db.session.connection().connection.dbapi_connection
        db.session.remove()  # back to the pool
        connection.close()  # as a restarted database or a timeout on the way would
        assert db.session.execute(text("SELECT 1")).scalar() == first  # no error: replaced
        db.session.remove()
    assert len(pings) >= 1
