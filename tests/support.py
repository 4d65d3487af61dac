"""What tests share besides fixtures: the real data and the services they may need, accounts
and bodies with keyword defaults, a client with a token, a Redis of a test's own, and the
dashboard's sign-in. The fixtures themselves are in ``conftest.py``."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
# Where the browser tests save a screenshot of each dashboard page (printed at the end).
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", Path(__file__).parent / "browser" / "screenshots"))
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def shared_data(relative: str) -> Path:
    """A file of ../shared/data, or a skip that says where it was looked for."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data not found at {path} (a fresh clone has no ../shared/data)")
    return path


def require_service(name: str, url: str | None) -> str:
    """The service's URL; without one, skip, or fail when REQUIRE_SERVICES=1."""
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {name} is not configured")
        pytest.skip(f"{name} is not configured")
    return url


def make_account(role: str = "app", name: str | None = None, **scope) -> tuple:
    """An account of ``role`` and its token; ``scope`` as for open_account (region_code=...,
    department_code=..., expires_at=...)."""
    from service.access.accounts import open_account

    return open_account(name or f"{role}-{os.urandom(4).hex()}", role, **scope)


class TokenClient:
    """The test client with one account's token on every request."""

    def __init__(self, client, token: str) -> None:
        self.client, self.token = client, token

    def open(self, method: str, path: str, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.open("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.open("PATCH", path, **kwargs)


def rating_body(**fields) -> dict:
    """A valid rating; keywords replace or (with None) remove fields."""
    body = {
        "stars": 5,
        "comment": "工作人员很耐心，办理速度快",
        "transaction_id": f"BJ{os.urandom(6).hex()}",
        "service_item_code": "360100-GAJ-001",
        "channel": "app",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


def message_body(**fields) -> dict:
    """A valid message; keywords replace or (with None) remove fields."""
    body = {
        "type": "投诉",
        "title": "小区门口道路积水",
        "content": "南昌市红谷滩区某小区门口一下雨就积水，老人孩子出行很不方便，"
        "希望有关部门尽快处理。",
        # one citizen each: citizens' rate limits, and no message a repeat of another
        "citizen_ref": f"u-{os.urandom(4).hex()}",
        "contact_phone": f"138{int.from_bytes(os.urandom(4)) % 10**8:08d}",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


class OwnRedis:
    """A redis-server of a test's own on a free port, without persistence (killing it loses
    every job): for the tests that kill Redis, or need one no other test touches."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder, self.process = folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


#: The password the dashboard's tests give the accounts they sign in with.
PASSWORD = "correct horse battery"


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, name: str, password: str = PASSWORD, next_page: str = ""):
    """Sign in at the dashboard with the sign-in form's CSRF token."""
    token = csrf_token(client.get("/dashboard/sign-in").get_data(as_text=True))
    form = {"name": name, "password": password, "csrf_token": token, "next": next_page}
    return client.post("/dashboard/sign-in", data=form)


#: Three citizens about one compound's rubbish station: one hot issue.
COMPOUND = [
    (
        "红谷滩区翠湖苑小区门口垃圾站臭气熏天",
        "南昌市红谷滩区翠湖苑小区门口垃圾站每天恶臭，联系我13907911234。",
    ),
    ("投诉翠湖苑小区垃圾站恶臭扰民", "南昌市红谷滩区翠湖苑小区大门旁垃圾站臭味太大，希望搬走。"),
    ("翠湖苑小区垃圾中转站问题", "南昌市红谷滩区翠湖苑小区旁的垃圾中转站气味难闻，请求整治。"),
]


def post_compound(api) -> list[int]:
    """Post ``COMPOUND``'s messages; their ids."""
    return [
        api.post("/api/v1/messages", json=message_body(title=t, content=c)).get_json()["id"]
        for t, c in COMPOUND
    ]


def force_status(message_id: int, status: str, model_name: str = "Message") -> None:
    """Put an object in ``status`` directly, as its earlier steps would have."""
    from service import models
    from service.extensions import db

    db.session.get(getattr(models, model_name), message_id).status = status
    db.session.commit()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(
    database_uri: str, model_dir: Path, stderr=subprocess.DEVNULL, **settings: str
) -> tuple[subprocess.Popen, int]:
    """gunicorn with gunicorn.conf.py on a free port, once it answers: rate limits off,
    warnings only, unless ``settings`` say otherwise."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_uri, "GUNICORN_BIND": f"127.0.0.1:{port}",
           "RATE_LIMITS_ENABLED": "0", "MODEL_DIR": str(model_dir), "LOG_LEVEL": "WARNING",
           **settings}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.1)


#: Replies the reply-quality tests send: a specific answer to a message of 积水 in 红谷滩区, a
#: receipt template, and four matters that have nothing to do with each other.
SPECIFIC = (
    "经核实，您反映的红谷滩区某小区门口积水，是市政排水管被施工堵塞所致。区城管局已于3月6日"
    "疏通排水管，并将于3月底前加装两处雨水篦子。如再积水，可拨打0791-12319反映。感谢您的监督！"
)
TEMPLATE = "网友您好！您的留言已收悉，已转相关部门调查处理，敬请关注后续回复，谢谢！"
MATTERS = [
    ("东湖区八一大道下水道堵塞", "污水漫到路面，臭气熏天。"),
    ("青山湖区某小学门口拥堵", "放学时家长车辆乱停，孩子过马路很危险。"),
    ("新建区菜市场占道经营", "摊贩占用消防通道，消防车进不去。"),
    ("西湖区公交232路间隔太长", "早高峰等车一个小时，上班迟到。"),
]
