"""`make image-test`: build the image and try it as an operator would, failing on any step.

1. Build it (`DOCKER_BUILDKIT=0 docker build --network host`); with no registry reachable,
   ../shared/tools/container-base.sh first makes a stand-in for its base, python:3.11-slim
   (and starts a Docker daemon when none answers).
2. With nothing but DATABASE_URL (SQLite in its instance folder): it migrates, serves,
   reports healthy, takes a rating and a message and scores them, serves the dashboard's
   vendored ECharts, and stops cleanly within `docker stop`'s 10 s.
3. On this machine's PostgreSQL and Redis (host network), with a shared SECRET_KEY and a
   worker container: a message posted to the web container is scored by the worker.

`make image-test` then runs scripts/stack_test.py: the same image as the compose stack.

IMAGE (default minsheng:test), SMOKE_DATABASE_URL (a PostgreSQL database it may drop and
re-create; default postgresql://postgres@127.0.0.1:5432/minsheng_image), SMOKE_REDIS_URL
(default redis://127.0.0.1:6379/14).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time

from smoke import MESSAGE, RATING, ROOT, fail, free_port, http, run, step, wait_ready, wait_scored

IMAGE = os.environ.get("IMAGE", "minsheng:test")
DATABASE = os.environ.get(
    "SMOKE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/minsheng_image"
)
REDIS = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
BASE_TOOL = ROOT.parent / "shared" / "tools" / "container-base.sh"
STOP_SECONDS = 10


def build() -> None:
    if (
        subprocess.run(["docker", "info"], capture_output=True).returncode != 0
        or not run("docker", "images", "-q", "python:3.11-slim").strip()
    ):
        step("no Docker daemon or no base image: the stand-in (container-base.sh)")
        run("bash", str(BASE_TOOL), timeout=1800)
    step(f"docker build -t {IMAGE}")
    started = time.monotonic()
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    done = subprocess.run(["docker", "build", "--network", "host", "-t", IMAGE, str(ROOT)],
                          capture_output=True, text=True, env=env, timeout=3600)  # fmt: skip
    if done.returncode != 0:
        fail(f"docker build\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    size = int(run("docker", "image", "inspect", "-f", "{{.Size}}", IMAGE)) // 2**20
    print(f"   built in {time.monotonic() - started:.0f} s, {size} MB")


class Container:
    """A container of the image on the host's network, stopped and removed at the end."""

    def __init__(self, name: str, env: dict[str, str], command: list[str] | None = None) -> None:
        self.name = name
        flags = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        run("docker", "rm", "-f", name, check=False)
        run("docker", "run", "-d", "--name", name, "--network", "host", *flags, IMAGE,
            *(command or []))  # fmt: skip

    def logs(self) -> str:
        done = subprocess.run(["docker", "logs", self.name], capture_output=True, text=True)
        return done.stdout[-3000:] + done.stderr[-3000:]

    def flask(self, *args: str) -> str:
        return run("docker", "exec", self.name, "flask", "--app", "wsgi", *args)

    def stop(self) -> None:
        """`docker stop`: it must end by itself, cleanly, before the 10 s run out."""
        started = time.monotonic()
        run("docker", "stop", "-t", str(STOP_SECONDS), self.name)
        took = time.monotonic() - started
        code = run("docker", "inspect", "-f", "{{.State.ExitCode}}", self.name).strip()
        if took >= STOP_SECONDS or code != "0":
            fail(f"{self.name} stopped in {took:.1f} s with exit code {code}\n{self.logs()}")
        print(f"   {self.name} stopped cleanly in {took:.1f} s")

    def remove(self) -> None:
        run("docker", "rm", "-f", self.name, check=False)


def healthy(container: Container, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = run("docker", "inspect", "-f", "{{.State.Health.Status}}", container.name).strip()
        if state == "healthy":
            return
        time.sleep(2)
    fail(f"{container.name} is {state}, not healthy\n{container.logs()}")


def token_of(container: Container, role: str, name: str, **scope: str) -> str:
    extra = [arg for key, value in scope.items() for arg in (f"--{key}", value)]
    return container.flask("accounts", "create", "--role", role, "--name", name,
                           *extra).strip().splitlines()[-1]  # fmt: skip


def sqlite_alone() -> None:
    step("SQLite, nothing but DATABASE_URL")
    port = free_port()
    web = Container("minsheng-smoke-sqlite", {
        "DATABASE_URL": "sqlite:////app/instance/smoke.db", "GUNICORN_BIND": f"0.0.0.0:{port}",
    })  # fmt: skip
    try:
        ready = wait_ready(f"http://127.0.0.1:{port}", web.logs)
        assert ready["database"] == "ok" and ready["scoring"] == "inline", ready
        healthy(web)
        app = token_of(web, "app", "smoke-app")
        base = f"http://127.0.0.1:{port}"
        status, body = http("POST", f"{base}/api/v1/ratings", app,
                            {**RATING, "transaction_id": secrets.token_hex(6)})  # fmt: skip
        assert status == 201 and json.loads(body)["sentiment"]["label"] == "negative", body
        status, body = http("POST", f"{base}/api/v1/messages", app, MESSAGE)
        scored = json.loads(body)
        assert status == 201 and scored["sentiment"]["label"] != "pending", body
        assert scored["theme"]["code"], body
        status, body = http("GET", f"{base}/dashboard/static/vendor/echarts.min.js")
        assert status == 200 and len(body) > 500_000, status
        print("   migrated, healthy, a rating and a message scored, the assets served")
        web.stop()
    finally:
        web.remove()


def with_services() -> None:
    step("PostgreSQL and Redis, a web container and a worker container, one SECRET_KEY")
    plain = DATABASE.replace("+psycopg", "")
    server, name = plain.rsplit("/", 1)
    run("psql", f"{server}/postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run("psql", f"{server}/postgres", "-c", f'CREATE DATABASE "{name}"')
    port = free_port()
    env = {"DATABASE_URL": DATABASE, "REDIS_URL": REDIS, "SECRET_KEY": secrets.token_hex(32),
           "GUNICORN_BIND": f"0.0.0.0:{port}"}  # fmt: skip
    web = Container("minsheng-smoke-web", env)
    worker = None
    try:
        ready = wait_ready(f"http://127.0.0.1:{port}", web.logs)
        assert ready == {"status": "ok", "database": "ok", "redis": "ok", "scoring": "queue"}, ready
        worker = Container("minsheng-smoke-worker", env, ["flask", "--app", "wsgi", "worker"])
        app = token_of(web, "app", "smoke-app")
        analyst = token_of(web, "analyst", "smoke-analyst")
        base = f"http://127.0.0.1:{port}"
        status, body = http("POST", f"{base}/api/v1/messages", app, MESSAGE)
        posted = json.loads(body)
        assert status == 201 and posted["sentiment"]["label"] == "pending", body
        wait_scored(base, posted["id"], analyst, worker.logs)
        print("   a message posted to the web container was scored by the worker")
        worker.stop()
        web.stop()
    finally:
        for container in (worker, web):
            if container is not None:
                container.remove()
        run("psql", f"{server}/postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            check=False)  # fmt: skip


def main() -> None:
    build()
    sqlite_alone()
    with_services()
    print("image-test passed")


if __name__ == "__main__":
    main()
