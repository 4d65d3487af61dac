"""The officials' dashboard at /dashboard: server-rendered pages in Chinese for those who do
not read JSON. Scoped exactly like the API (service/access/scope.py), its numbers come from the same
functions (figures.report, reports.theme_report, hot_issues, the 督办 lists), and every table
exports through the same workbook code as the API's files (analytics/report_files.py)."""

from __future__ import annotations

import os
import secrets

from flask import Flask

from service.extensions import csrf


def init_dashboard(app: Flask) -> None:
    from service.dashboard.session import may_open
    from service.dashboard.views import bp

    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    app.permanent_session_lifetime = app.config["DASHBOARD_SESSION_HOURS"] * 3600
    csrf.init_app(app)
    app.add_template_global(may_open)
    app.register_blueprint(bp)


def _instance_secret(folder: str) -> str:
    """A key made once for this machine and kept in the instance folder: every worker of one
    gunicorn finds the same (the first to start writes it; a link cannot overwrite)."""
    path = os.path.join(folder, "secret_key")
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        draft = f"{path}.{os.getpid()}"
        with open(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    with open(path) as key:
        return key.read().strip()
