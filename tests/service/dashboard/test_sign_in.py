"""Signing in to the dashboard and its sessions: the sign-in form with its CSRF token and
limits, passwords set only for officials and analysts (also from the command line), and
sessions that end on signing out, idling, revocation or a new password."""

import re
from datetime import timedelta

import pytest
import time_machine

from service.access import accounts
from tests.support import PASSWORD, csrf_token, make_account, sign_in


def test_a_page_without_a_session_sends_to_the_sign_in_page_and_back_after(client, official):
    answer = client.get("/dashboard/themes?period=month")
    assert answer.status_code == 302 and "/dashboard/sign-in" in answer.location
    back = sign_in(client, official[0], next_page="/dashboard/themes?period=month")
    assert back.status_code == 302 and back.location.endswith("/dashboard/themes?period=month")


def test_a_wrong_password_or_unknown_name_is_refused_alike(client, official):
    wrong = sign_in(client, official[0], "not the password")
    nobody = sign_in(client, "nobody", PASSWORD)
    assert wrong.status_code == nobody.status_code == 401
    assert "账号或密码不正确" in wrong.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_signing_in_without_the_forms_csrf_token_is_refused(client, official):
    form = {"name": official[0], "password": PASSWORD}
    answer = client.post("/dashboard/sign-in", data=form)
    assert answer.status_code == 400 and "页面已过期" in answer.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_sign_in_attempts_are_limited_per_address_and_name(app, client, official):
    app.config["RATE_LIMIT_SIGN_IN"] = "3/minute"
    for _ in range(3):
        assert sign_in(client, official[0], "wrong password!").status_code == 401
    refused = sign_in(client, official[0])
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60


def test_an_app_or_handler_account_gets_no_dashboard_password(app):
    for role, scope in (("app", {}), ("handler", {"department_code": "360100-GAJ"})):
        account, _ = make_account(role, **scope)
        with pytest.raises(accounts.AccountRefused):
            accounts.set_password(account, PASSWORD)


def test_a_short_password_is_refused(official):
    with pytest.raises(accounts.AccountRefused, match="10"):
        accounts.set_password(official[1], "short")


def test_signing_out_ends_the_session(signed_in):
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    answer = signed_in.post("/dashboard/sign-out", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    assert signed_in.get("/dashboard/").status_code == 302


def test_a_copy_of_the_session_cookie_is_refused_once_its_session_signed_out(signed_in, official):
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    copied = signed_in.get_cookie("session").value
    signed_in.post("/dashboard/sign-out", data={"csrf_token": csrf_token(page)})
    signed_in.set_cookie("session", copied)
    answer = signed_in.get("/dashboard/")
    assert answer.status_code == 302 and "/dashboard/sign-in" in answer.location


def test_signing_out_on_one_computer_leaves_the_session_on_another(app, signed_in, official):
    other = app.test_client()
    sign_in(other, official[0])
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    signed_in.post("/dashboard/sign-out", data={"csrf_token": csrf_token(page)})
    assert other.get("/dashboard/").status_code == 200


def test_a_session_ends_after_its_idle_time_and_after_its_longest(app, client, official):
    with time_machine.travel("2026-03-10 09:00 +0800", tick=False) as clock:
        sign_in(client, official[0])
        clock.shift(timedelta(minutes=29))
        assert client.get("/dashboard/supervision").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/dashboard/supervision").status_code == 302
        sign_in(client, official[0])
        for _ in range(26):  # busy all day: still out after 12 hours
            clock.shift(timedelta(minutes=28))
            answer = client.get("/dashboard/supervision")
        assert answer.status_code == 302


def test_a_revoked_account_or_a_new_password_ends_its_sessions(signed_in, official):
    accounts.set_password(official[1], "another long password")
    assert signed_in.get("/dashboard/").status_code == 302
    sign_in(signed_in, official[0], "another long password")
    assert signed_in.get("/dashboard/").status_code == 200
    accounts.revoke(official[1])
    assert signed_in.get("/dashboard/").status_code == 302


def test_the_demo_officials_printed_on_first_start_can_sign_in(client, runner):
    printed = runner.invoke(args=["accounts", "demo"]).output
    name, password = re.search(r"(demo-ganzhou) / (\S+) \(360700\)", printed).groups()
    assert sign_in(client, name, password).status_code == 302
    assert client.get("/dashboard/?region=360700").status_code == 200
    assert client.get("/dashboard/?region=360100").status_code == 404


def test_set_password_asks_twice_and_then_the_official_can_sign_in(app, client, runner):
    account, _ = make_account("official", region_code="360700")
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    result = runner.invoke(args=["accounts", "set-password", account.name], input=typed)
    assert result.exit_code == 0 and PASSWORD not in result.output
    assert sign_in(client, account.name).status_code == 302
    unknown = runner.invoke(args=["accounts", "set-password", "nobody"], input=typed)
    assert unknown.exit_code != 0 and "No account is named" in unknown.output


def test_set_password_reads_a_script_s_password_from_stdin_and_it_signs_in(app, client, runner):
    account, _ = make_account("official", region_code="360700")
    command = ["accounts", "set-password", account.name, "--password-stdin"]
    result = runner.invoke(args=command, input=f"{PASSWORD}\n")
    assert result.exit_code == 0 and "Password" not in result.output
    assert PASSWORD not in result.output
    assert sign_in(client, account.name).status_code == 302
    empty = runner.invoke(args=command, input="")
    assert empty.exit_code == 2 and "Standard input holds no password." in empty.output


def test_set_password_reads_a_script_s_password_from_the_variable_it_names(app, client, runner):
    account, _ = make_account("analyst", region_code="360000")
    command = ["accounts", "set-password", account.name, "--password-env", "OFFICIAL_PASSWORD"]
    result = runner.invoke(args=command, env={"OFFICIAL_PASSWORD": PASSWORD})
    assert result.exit_code == 0 and PASSWORD not in result.output
    assert sign_in(client, account.name).status_code == 302
    unset = runner.invoke(args=command, env={"OFFICIAL_PASSWORD": None})
    assert unset.exit_code == 2
    assert "The environment variable OFFICIAL_PASSWORD is not set or empty." in unset.output
    short = runner.invoke(args=command, env={"OFFICIAL_PASSWORD": "short"})
    assert short.exit_code == 2 and "Invalid value for 'password': At least" in short.output
