import importlib
import runpy
from pathlib import Path

import pytest

from service.platform import config

ROOT = Path(__file__).resolve().parents[3]


def test_a_setting_that_is_not_a_number_names_itself(monkeypatch):
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "64k")
    with pytest.raises(ValueError, match="MAX_CONTENT_LENGTH='64k' is not an integer"):
        importlib.reload(config)
    monkeypatch.delenv("MAX_CONTENT_LENGTH")
    importlib.reload(config)


def test_postgresql_urls_are_pointed_at_psycopg_3():
    assert config.database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.database_url("sqlite:///x.db") == "sqlite:///x.db"


def gunicorn_settings(monkeypatch, **env) -> dict:
    """gunicorn.conf.py as gunicorn reads it: the names it knows, with their values."""
    from gunicorn.config import Config

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    read = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {name: value for name, value in read.items() if name in Config().settings}


def test_gunicorn_opens_no_control_socket_shared_with_other_instances(monkeypatch):
    """By default gunicorn's is one path per user, which each instance unlinks at start."""
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert gunicorn_settings(monkeypatch)["control_socket_disable"] is True
    given = gunicorn_settings(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/minsheng/web-8001.ctl")
    assert given["control_socket"] == "/run/minsheng/web-8001.ctl"
    assert "control_socket_disable" not in given


def test_gunicorn_limits_are_the_ones_the_readme_documents(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert (
        settings["limit_request_line"],
        settings["limit_request_fields"],
        settings["limit_request_field_size"],
    ) == (4094, 100, 8190)
    readme = (ROOT / "README.md").read_text()
    assert "4094 bytes" in readme and "100 headers" in readme and "8190 bytes" in readme


def test_the_request_time_limits_and_body_size_reach_gunicorns_worker(monkeypatch):
    worker = gunicorn_settings(
        monkeypatch,
        REQUEST_HEADER_TIMEOUT="4",
        REQUEST_BODY_TIMEOUT="12.5",
        MAX_CONTENT_LENGTH="1000",
    )["worker_class"]
    assert (worker.header_timeout, worker.body_timeout, worker.max_buffered_body) == (4, 12.5, 1000)
    with pytest.raises(ValueError, match="request timeouts must be positive"):
        gunicorn_settings(monkeypatch, REQUEST_HEADER_TIMEOUT="0")
