"""What the image's and the stack's smoke tests share (scripts/image_test.py, stack_test.py):
running a command that must succeed, plain HTTP calls, and the rating and message they post.
The standard library only: nothing of the app is imported, the app is tried from outside."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RATING = {"stars": 2, "comment": "排队两个小时，窗口只开一个，太慢了", "channel": "app",
          "service_item_code": "360100-GAJ-001"}  # fmt: skip
MESSAGE = {"type": "投诉", "title": "红谷滩区路灯不亮",
           "content": "南昌市红谷滩区丰和中大道路灯坏了两个月，晚上很危险。"}  # fmt: skip


def step(text: str) -> None:
    print(f"== {text}", flush=True)


def fail(text: str) -> None:
    sys.exit(f"FAILED: {text}")


def run(*command: str, check: bool = True, timeout: float = 900, **options) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **options)
    if check and done.returncode != 0:
        fail(f"{' '.join(command[:5])}…\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(
    method: str, url: str, token: str | None = None, body: dict | None = None
) -> tuple[int, bytes]:
    """(status, body) of a JSON call; an error status is an answer too, not an exception."""
    request = urllib.request.Request(
        url, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(url: str, logs: Callable[[], str], seconds: float = 180) -> dict:
    """/readyz's answer once it is 200; the logs if it never is."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = (0, b"")
        try:
            status, body = http("GET", f"{url}/readyz")
        except OSError:
            pass
        if status == 200:
            return json.loads(body)
        time.sleep(1)
    fail(f"{url} never answered /readyz\n{logs()}")


def wait_scored(url: str, message_id: int, token: str, logs: Callable[[], str],
                seconds: float = 120) -> dict:  # fmt: skip
    """The message once a worker has scored it; the worker's logs if none does in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _, body = http("GET", f"{url}/api/v1/messages/{message_id}", token)
        message = json.loads(body)
        if message["sentiment"]["label"] != "pending":
            return message
        time.sleep(1)
    fail(f"no worker scored message {message_id}\n{logs()}")
