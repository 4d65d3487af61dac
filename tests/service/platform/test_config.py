import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from service.platform import config
from service.platform.config import SettingsError, read_server_settings, read_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SCORING_MODE", "Queue", "Must be one of: auto, queue, inline, off."),
        ("RATE_LIMITS_WHEN_REDIS_DOWN", "fail", "Must be one of: memory, open, closed."),
        ("LOG_LEVEL", "verbose", "Must be one of: DEBUG"),
        ("MAX_CONTENT_LENGTH", "64k", "Not a valid integer."),
        ("MAX_CONTENT_LENGTH", "0", "greater than or equal to 1"),
        ("THEME_MIN_CONFIDENCE", "40%", "Not a valid number."),
        ("REPEAT_SIMILARITY", "1.5", "less than or equal to 1"),
        ("RATE_LIMITS_ENABLED", "maybe", "Not a valid boolean."),
        ("TIME_LIMITS", '{"ordinary": 5', "Not JSON"),
        ("TIME_LIMITS", "[5, 10]", "Not a JSON object"),
        ("TIME_LIMITS", '{"urgent": 2}', "Unknown limit 'urgent'"),
        ("TIME_LIMITS", '{"complain.ordinary": 15}', "Unknown limit 'complain.ordinary'"),
        ("TIME_LIMITS", '{"ordinary": 0}', "whole number from 1, not 0"),
        ("TIME_LIMITS", '{"ordinary": 2.5}', "whole number from 1, not 2.5"),
        ("RATE_LIMIT_CITIZEN_MESSAGES", "5 a minute", "Not a rate limit"),
        ("REDIS_URL", "localhost:6379", "Not a Redis URL"),
        ("DATABASE_URL", "mysql://db/minsheng", "Only PostgreSQL and SQLite"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name_value_and_why(name, value, message):
    with pytest.raises(SettingsError) as refused:
        read_settings({name: value})
    assert list(refused.value.problems) == [name]
    assert f"{name}={value!r}: " in str(refused.value) and message in str(refused.value)


def test_every_bad_setting_is_named_at_once_and_no_password_is_printed():
    with pytest.raises(SettingsError) as refused:
        read_settings({
            "DATABASE_URL": "mysql://minsheng:hunter2@db/minsheng",
            "REDIS_URL": "http://:hunter2@cache:6379",
            "SCORING_MODE": "Queue",
        })  # fmt: skip
    assert set(refused.value.problems) == {"DATABASE_URL", "REDIS_URL", "SCORING_MODE"}
    assert "hunter2" not in str(refused.value) and "minsheng:***@db" in str(refused.value)


def test_the_neutral_band_cannot_be_turned_inside_out():
    with pytest.raises(SettingsError, match="SENTIMENT_NEGATIVE_BELOW"):
        read_settings({"SENTIMENT_NEGATIVE_BELOW": "0.7", "SENTIMENT_POSITIVE_ABOVE": "0.6"})


def test_settings_are_typed_blanks_are_unset_and_time_limits_merge_over_the_defaults():
    settings = read_settings({
        "MAX_CONTENT_LENGTH": "1000", "RATE_LIMITS_ENABLED": "0", "SPIKE_SIGMAS": "2.5",
        "REDIS_URL": "", "RETRY_AFTER_SECONDS": " ", "TIME_LIMITS": '{"complaint.ordinary": 15}',
        "DATABASE_URL": "postgres://u@h/db", "UNRELATED": "x",
    })  # fmt: skip
    assert (settings["MAX_CONTENT_LENGTH"], settings["RATE_LIMITS_ENABLED"]) == (1000, False)
    assert (settings["SPIKE_SIGMAS"], settings["REDIS_URL"], settings["RETRY_AFTER_SECONDS"]) == (
        2.5, None, 5,
    )  # fmt: skip
    assert settings["TIME_LIMITS"] == {
        "first_contact": 1, "ordinary": 5, "difficult": 10, "complaint.ordinary": 15,
    }  # fmt: skip
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert "UNRELATED" not in settings


def test_a_bad_setting_stops_the_app_and_gunicorn_before_anything_starts(tmp_path):
    env = {**os.environ, "SCORING_MODE": "Queue", "TIME_LIMITS": '{"ordinary": "five"}'}
    env.pop("DATABASE_URL", None)
    commands = (
        [sys.executable, "-m", "flask", "--app", "wsgi", "settings"],
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "gunicorn.conf.py", "wsgi:app"],
    )
    for command in commands:
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)  # fmt: skip
        assert run.returncode != 0, command
        assert "minsheng cannot start" in run.stderr
        assert "SCORING_MODE='Queue': Must be one of" in run.stderr
        assert "TIME_LIMITS=" in run.stderr and "not 'five'" in run.stderr


def test_flask_settings_prints_every_setting_with_what_it_means_and_hides_secrets(
    runner, app, monkeypatch
):
    app.config["SECRET_KEY"] = "do-not-print-me"
    app.config["REDIS_URL"] = "redis://:hunter2@cache:6379/0"
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    printed = runner.invoke(args=["settings"]).output
    named = re.findall(r"^([A-Z_]+)=", printed, re.M)
    assert named == [*config.Settings().fields, *config.ServerSettings().fields]
    assert "do-not-print-me" not in printed and "hunter2" not in printed
    assert "SECRET_KEY=(set, hidden)" in printed
    assert "REDIS_URL=redis://:***@cache:6379/0" in printed
    assert "GUNICORN_WORKERS=3" in printed and "# Web processes" in printed
    bare = runner.invoke(args=["settings", "--no-docs"]).output
    assert not any(line.startswith("#") for line in bare.splitlines())


def test_the_example_environment_file_lists_every_setting_with_its_default():
    """.env.example is what an operator copies: it names every setting, set to its default or
    commented out where the default is "unset"."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = {}
    for line in lines:
        if found := re.match(r"^#? ?([A-Z][A-Z0-9_]+)=('[^']*'|\S*)", line):
            listed.setdefault(found[1], found[2].strip("'"))
    defaults = {**read_settings({}), **read_server_settings({})}
    defaults["DATABASE_URL"] = defaults.pop("SQLALCHEMY_DATABASE_URI")
    names = [*config.Settings().fields, *config.ServerSettings().fields]
    assert sorted(listed) == sorted(names)
    for name in names:
        default = defaults[name]
        if default is None:
            assert listed[name] == "", name
        elif isinstance(default, bool):
            assert listed[name] == ("1" if default else "0"), name
        elif isinstance(default, dict):
            assert read_settings({name: listed[name]})[name] == default, name
        else:
            assert type(default)(listed[name]) == default, name


def test_postgresql_urls_are_pointed_at_psycopg_3():
    assert config.database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.database_url("sqlite:///x.db") == "sqlite:///x.db"


def gunicorn_settings(monkeypatch, **env) -> dict:
    """gunicorn.conf.py as gunicorn reads it: the names it knows, with their values."""
    from gunicorn.config import Config

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # gunicorn.conf.py sets the metrics' folder in the environment: this test's only
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", env.get("PROMETHEUS_MULTIPROC_DIR", ""))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
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
    with pytest.raises(SystemExit, match="REQUEST_HEADER_TIMEOUT='0': Must be greater than 0"):
        gunicorn_settings(monkeypatch, REQUEST_HEADER_TIMEOUT="0")


def test_an_instance_folder_that_cannot_be_written_names_the_settings_left_unset(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    unset = {"SQLALCHEMY_DATABASE_URI": None, "SECRET_KEY": None, "MODEL_DIR": "/models"}
    with pytest.raises(SettingsError) as refused:
        config.settle_instance_folder(str(blocked / "instance"), unset)
    assert set(refused.value.problems) == {"DATABASE_URL", "SECRET_KEY"}
    assert "cannot write: set it, or make the folder writable" in str(refused.value)
    configured = {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "SECRET_KEY": "k", "MODEL_DIR": "/m"}
    config.settle_instance_folder(str(blocked / "instance"), configured)  # nothing kept there


def test_gunicorn_sizes_its_workers_by_the_cpus_the_container_may_use(tmp_path):
    from service.platform.cpus import available_cpus

    limit = tmp_path / "cpu.max"
    limit.write_text("150000 100000\n")  # docker run --cpus 1.5
    assert available_cpus(limit) == min(2, len(os.sched_getaffinity(0)))
    limit.write_text("max 100000\n")
    assert available_cpus(limit) == len(os.sched_getaffinity(0))
    assert available_cpus(tmp_path / "none") == len(os.sched_getaffinity(0))
