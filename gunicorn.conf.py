"""gunicorn settings, from the environment with defaults for this project's 2-core machines
(service/platform/config.py checks and describes them, and the app's, before any worker
starts: a bad one stops gunicorn with its name)."""

import os
import sys
import tempfile
from pathlib import Path

# Each web process counts its metrics in files of this folder, summed at every scrape
# (prometheus_client's multiprocess mode): set before anything imports the client. A folder of
# this instance's own unless one is given; emptied at start, as the files of a past run would
# be counted again.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="minsheng-metrics-")

from service.platform.config import SettingsError, read_server_settings, read_settings  # noqa: E402
from service.platform.cpus import available_cpus  # noqa: E402
from service.platform.gunicorn_worker import BufferingThreadWorker  # noqa: E402
from service.platform.logs import gunicorn_logging  # noqa: E402

try:
    app_settings, server = read_settings(), read_server_settings()
except SettingsError as error:
    sys.exit(f"minsheng cannot start: {error}")

bind = server["GUNICORN_BIND"]
workers = server["GUNICORN_WORKERS"] or available_cpus()  # a container's limit, not the host's
# Threads let one worker overlap database round trips; scoring holds the GIL anyway.
threads = server["GUNICORN_THREADS"]
# gthread, but each request is read whole by the worker's poller before a thread serves it,
# within time limits: slow clients hold no thread (service/platform/gunicorn_worker.py says why).
worker_class = BufferingThreadWorker.configured(
    header_timeout=server["REQUEST_HEADER_TIMEOUT"],
    body_timeout=server["REQUEST_BODY_TIMEOUT"],
    # The app's own limit: a larger body is refused, not read.
    max_buffered_body=app_settings["MAX_CONTENT_LENGTH"],
)
timeout = server["GUNICORN_TIMEOUT"]
# Within `docker stop`'s 10 s (and Kubernetes' 30 s): a request still running then is cut.
graceful_timeout = 8
keepalive = 5
accesslog = server["GUNICORN_ACCESS_LOG"]
errorlog = "-"
# gunicorn's own lines in the app's format (LOG_FORMAT), with the app's level.
logconfig_dict = gunicorn_logging(app_settings["LOG_LEVEL"], app_settings["LOG_FORMAT"])
# Each worker loads its own models lazily, after fork: nothing heavy is shared or preloaded.
preload_app = False
# What gunicorn refuses before the app sees it, with its own text/html 414 or 431 (README,
# "Errors"). These are gunicorn's defaults, stated so that the documented maxima are here.
limit_request_line = 4094  # bytes of method, path, query and version
limit_request_fields = 100
limit_request_field_size = 8190  # bytes of one header, name and value
# gunicorn 25.1+ opens a control socket for `gunicornc` at one path per user by default
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): each instance on a machine
# unlinks the one before's at start and removes it at exit. Off unless given a path of its own.


if server["GUNICORN_CONTROL_SOCKET"]:
    control_socket = server["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def on_starting(server) -> None:
    """The metrics' folder emptied of a past run's counts (its files alone: it may be a
    folder of the operator's)."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for counts in folder.glob("*.db"):
        counts.unlink()


def child_exit(server, worker) -> None:
    """A web process gone: its live gauges go with it (its counts stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
