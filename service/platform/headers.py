"""Security headers on every response, and CORS only for the origins configured.

A handful of fixed headers, set in one after-request hook: a library for them (Talisman)
would bring an HTTPS redirect and a nonce scheme that a JSON API behind a TLS-terminating
proxy does not want.
"""

from __future__ import annotations

from flask import Flask, Response, request

_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# JSON is never a page: nothing in it may run or load anything.
_API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI: its own scripts and styles, and the inline script that starts it.
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)
# The dashboard: its own scripts only (chart options travel as JSON, not inline script); the
# inline styles ECharts sets; the map outlines it fetches.
_DASHBOARD_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    for name, value in _ALWAYS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/dashboard"):
        policy = _DASHBOARD_POLICY
    else:
        policy = _DOCS_POLICY if request.path.startswith("/api/docs") else _API_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    private = request.path.startswith(("/api/v1/", "/dashboard"))
    if private and not request.path.startswith("/dashboard/static/"):
        # Answers and pages carry citizens' text: no shared cache may keep them.
        response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)  # the limiter adds it to every answer
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies (the compose stack's nginx: 1), the client's address and
    scheme are the ones they forward (werkzeug's ProxyFix), so that the per-address limits
    count each client, not the proxy. Never more than are really there: a client could then
    name any address it likes."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def init_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
    origins = [o.strip() for o in app.config["CORS_ORIGINS"].split(",") if o.strip()]
    if origins:  # off unless configured: the apps are native, not pages in a browser
        from flask_cors import CORS

        CORS(app, resources={r"/api/*": {"origins": origins}}, expose_headers=["X-Request-ID"])
