"""gunicorn settings, from the environment with defaults for this project's 2-core machines."""

import multiprocessing
import os

from service.platform.gunicorn_worker import BufferingThreadWorker

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
# Threads let one worker overlap database round trips; scoring holds the GIL anyway.
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# gthread, but each request is read whole by the worker's poller before a thread serves it,
# within time limits: slow clients hold no thread (service/platform/gunicorn_worker.py says why).
worker_class = BufferingThreadWorker.configured(
    header_timeout=float(os.environ.get("REQUEST_HEADER_TIMEOUT", 10)),
    body_timeout=float(os.environ.get("REQUEST_BODY_TIMEOUT", 30)),
    # The app's own limit (service/platform/config.py): a larger body is refused, not read.
    max_buffered_body=int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024)),
)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
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
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
