import importlib

import pytest

from service import config


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
