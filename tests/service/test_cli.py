"""The flask commands as an operator meets them: a mistyped date, folder or account name is a
click error naming the option (exit code 2), never a traceback, and a refused command leaves
nothing behind."""

import pytest

from service import store
from tests.support import make_account


@pytest.mark.parametrize(
    "period, day, says",
    [("year", "0001", "'0001' is not from 2000-01-01 to 2099-12-31"),
     ("year", "1800", "'1800' is not from 2000-01-01 to 2099-12-31"),
     ("quarter", "9999-12-31", "'9999-12-31' is not from 2000-01-01 to 2099-12-31"),
     ("week", "2026-11", "a week's report takes a day (YYYY-MM-DD), not '2026-11'."),
     ("month", "2026", "a month's report takes a day (YYYY-MM-DD) or a month (YYYY-MM), not"),
     ("year", "26", "takes a day (YYYY-MM-DD) or a month (YYYY-MM) or a year (YYYY), not"),
     ("month", "2026-13", "'2026-13' is no date."),
     ("day", "2026-10-15T08:00", "a day's report takes a day (YYYY-MM-DD), not")],
)  # fmt: skip
def test_a_report_date_the_period_cannot_take_is_refused_naming_the_formats(
    runner, tmp_path, period, day, says
):
    output = tmp_path / "report.xlsx"
    args = ["report", "--period", period, "--date", day, "--output", str(output)]
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and "Error: Invalid value for '--date': " in result.output
    assert says in result.output and not output.exists()


@pytest.mark.parametrize(
    "period, day", [("week", "2026-11-02"), ("quarter", "2026-10"), ("year", "2026")]
)
def test_a_report_date_as_coarse_as_its_period_is_taken(runner, tmp_path, period, day):
    output = tmp_path / "report.json"
    args = ["report", "--period", period, "--date", day, "--format", "json"]
    result = runner.invoke(args=[*args, "--output", str(output)])
    assert result.exit_code == 0 and output.exists()


def test_a_report_into_a_folder_that_does_not_exist_is_refused_before_it_is_built(runner):
    args = ["report", "--date", "2026-10", "--output", "/nonexistent/dir/x.xlsx"]
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and "Error: Invalid value for '--output'" in result.output
    assert "/nonexistent/dir" in result.output and "Traceback" not in result.output


def test_a_report_file_that_cannot_be_written_is_an_error_not_a_traceback(runner, tmp_path):
    output = tmp_path / ("长" * 100 + ".xlsx")  # too long a name for the file system
    result = runner.invoke(args=["report", "--date", "2026-10", "--output", str(output)])
    assert result.exit_code == 1 and "Error: Could not open file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "day, says",
    [("0001-01-01", "'0001-01-01' is not from 2000-01-01 to 2099-12-31."),
     ("2026-10", "a day (YYYY-MM-DD), not '2026-10'.")],
)  # fmt: skip
def test_an_alert_scan_of_anything_but_a_day_in_the_calendar_is_refused(runner, day, says):
    result = runner.invoke(args=["alerts", "scan", "--date", day])
    assert result.exit_code == 2 and f"Error: Invalid value for '--date': {says}" in result.output


@pytest.mark.parametrize(
    "first, last, says",
    [("0001-01-01", "0001-01-02", "'0001-01-01' is not from 2000-01-01 to 2099-12-31"),
     ("2026-01-01", "9999-12-31", "'9999-12-31' is not from 2000-01-01 to 2099-12-31"),
     ("2000-01-01", "2099-12-31", "at most 366 days from --from"),
     ("2026-03-02", "2026-03-01", "comes before --from")],
)  # fmt: skip
def test_a_rebuild_of_a_bad_range_marks_nothing_and_the_reads_go_on_working(
    app, runner, client_as, first, last, says
):
    result = runner.invoke(args=["facts", "rebuild", "--from", first, "--to", last])
    assert result.exit_code == 2 and says in result.output
    assert store.facts.count_dirty() == 0
    analyst = client_as("analyst")
    for path in ("/api/v1/kpis", "/api/v1/reports/themes", "/api/v1/hot-issues"):
        assert analyst.get(path).status_code == 200


def test_a_rebuild_of_a_year_recounts_it(runner):
    result = runner.invoke(args=["facts", "rebuild", "--from", "2024-01-01", "--to", "2024-12-31"])
    assert result.exit_code == 0 and "recounted 366 days" in result.output


def test_setting_a_password_of_an_account_that_does_not_sign_in_names_it_before_asking(app, runner):
    handler, _ = make_account("handler", department_code="360100-GAJ")
    result = runner.invoke(args=["accounts", "set-password", handler.name], input="x\nx\n")
    assert result.exit_code == 2 and "Password" not in result.output
    assert f"Error: Invalid value for 'NAME': {handler.name!r} is a handler account" in (
        result.output
    )
    assert "--role" not in result.output


def test_a_short_password_is_refused_naming_the_password_not_an_option(app, runner):
    official, _ = make_account("official", region_code="360700")
    result = runner.invoke(args=["accounts", "set-password", official.name], input="short\nshort\n")
    assert result.exit_code == 2 and "Invalid value for 'password': At least" in result.output


def test_an_account_expiring_past_the_calendar_is_refused_not_a_traceback(app, runner):
    args = ["accounts", "create", "--role", "app", "--name", "forever", "--expires-in-days"]
    result = runner.invoke(args=[*args, "99999999"])
    assert result.exit_code == 2 and "Error: Invalid value for '--expires-in-days'" in result.output
