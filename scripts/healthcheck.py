"""The container's health check: GET /healthz where GUNICORN_BIND says gunicorn listens (a
host:port, 0.0.0.0 asked on 127.0.0.1); exit 0 if it answers 200, else 1. Standard library
only, so that a check every few seconds costs no import of the service."""

from __future__ import annotations

import os
import sys
import urllib.request


def address(bind: str) -> str:
    """The /healthz address of a gunicorn bind.

    >>> address("0.0.0.0:8000")
    'http://127.0.0.1:8000/healthz'
    >>> address("[::]:9000")
    'http://[::1]:9000/healthz'
    """
    host, _, port = bind.rpartition(":")
    host = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "": "127.0.0.1"}.get(host, host)
    return f"http://{host}:{port}/healthz"


def main() -> int:
    bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")[0].strip()
    if bind.startswith("unix:"):
        return 0  # a socket's health is its proxy's to check
    try:
        with urllib.request.urlopen(address(bind), timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
