"""Slow clients against a real gunicorn with the project's config (1 worker, 2 threads): they
hold no thread, are cut off at their time limit with a 408, and every other request is
served as before (keep-alive, pipelining, bodies, gunicorn's own 414 and 431)."""

import http.client
import json
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.support import gunicorn, make_account

ROOT = Path(__file__).resolve().parents[3]
HEADER_TIMEOUT = 6  # seconds, REQUEST_HEADER_TIMEOUT and REQUEST_BODY_TIMEOUT of the server
LINE_EVERY = 2  # seconds between a slow client's header lines


def start_gunicorn(
    database_uri: str, model_dir: Path, time_limit: float = HEADER_TIMEOUT
) -> tuple[subprocess.Popen, int]:
    """1 worker of 2 threads; ``time_limit`` for a request's head, and for its body."""
    return gunicorn(
        database_uri, model_dir, GUNICORN_WORKERS="1", GUNICORN_THREADS="2",
        REQUEST_HEADER_TIMEOUT=str(time_limit), REQUEST_BODY_TIMEOUT=str(time_limit),
    )  # fmt: skip


@pytest.fixture(scope="module")
def server(database_uri, tmp_path_factory):
    process, port = start_gunicorn(database_uri, tmp_path_factory.mktemp("models"))
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=HEADER_TIMEOUT + 5)


class SlowClients:
    """Connections that each send a request's first line, then one header line every
    ``LINE_EVERY`` seconds, until ``stop`` (or until the server cuts them off)."""

    def __init__(self, port: int, count: int) -> None:
        self.sockets = [connect(port) for _ in range(count)]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._send, daemon=True)

    def _send(self) -> None:
        for sock in self.sockets:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        line = 0
        while not self.stopped.wait(LINE_EVERY):
            line += 1
            for sock in self.sockets:
                try:
                    sock.sendall(f"X-Slow-{line}: {line}\r\n".encode())
                except OSError:
                    pass  # cut off

    def __enter__(self) -> "SlowClients":
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stopped.set()
        self.thread.join(timeout=LINE_EVERY + 1)
        for sock in self.sockets:
            sock.close()


def answer_of(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def timed_get(port: int, path: str = "/healthz", timeout: float = 2) -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        status = connection.getresponse().status
    finally:
        connection.close()
    return status, time.monotonic() - started


def test_twelve_clients_sending_a_header_line_every_two_seconds_leave_healthz_answering(server):
    with SlowClients(server, 12):
        time.sleep(0.5)  # every slow client has sent its first line
        answers = []
        while len(answers) < 8:  # 4 s, two header lines of every slow client
            answers.append(timed_get(server))
            time.sleep(0.5)
    assert [status for status, _ in answers] == [200] * 8
    assert max(seconds for _, seconds in answers) < 2


def test_a_slow_client_is_cut_off_with_a_408_when_its_head_is_not_whole_in_time(server):
    with SlowClients(server, 1) as slow:
        started = time.monotonic()
        answer = answer_of(slow.sockets[0])
        waited = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ") and b"Connection: close" in head
    assert json.loads(body) == {
        "code": 408,
        "status": "Request Timeout",
        "message": "The request was not received in time.",
        "errors": {"headers": [f"Not all received within {HEADER_TIMEOUT} s."]},
    }
    assert HEADER_TIMEOUT - 1 < waited < HEADER_TIMEOUT + 2.5


def test_a_body_that_stops_arriving_is_cut_off_with_a_408_naming_the_body(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"name": '
        )
        started = time.monotonic()
        answer = answer_of(sock)
        waited = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body)["errors"] == {"json": [f"Not all received within {HEADER_TIMEOUT} s."]}
    assert HEADER_TIMEOUT - 1 < waited < HEADER_TIMEOUT + 2.5


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(server):
    with connect(server) as sock:
        assert answer_of(sock) == b""


def test_requests_on_a_kept_alive_connection_are_served_on_the_same_connection(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    try:
        connection.request("GET", "/healthz")
        first = connection.getresponse()
        assert (first.status, json.loads(first.read())) == (200, {"status": "ok"})
        kept = connection.sock
        connection.request("GET", "/readyz")
        second = connection.getresponse()
        second.read()
        assert second.status == 200 and connection.sock is kept
    finally:
        connection.close()


def test_a_post_whose_body_arrives_in_pieces_and_one_pipelined_behind_it_are_both_served(
    app, server
):
    token = make_account("admin")[1]
    body = json.dumps({"name": "slow-but-honest", "role": "app"}).encode()
    head = (
        f"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with connect(server) as sock:
        for piece in (head[:20], head[20:], body[:10]):
            sock.sendall(piece)
            time.sleep(0.3)
        sock.sendall(body[10:] + b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answers = answer_of(sock)
    assert answers.startswith(b"HTTP/1.1 201 ")
    assert b'"name":"slow-but-honest"' in answers.replace(b" ", b"")
    assert answers.count(b"HTTP/1.1 200 ") == 1 and answers.endswith(b'{"status":"ok"}\n')


def test_gunicorn_still_refuses_a_long_request_line_with_414_and_a_long_header_with_431(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz?" + b"q" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer_of(sock).startswith(b"HTTP/1.1 414 ")
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n")
        assert answer_of(sock).startswith(b"HTTP/1.1 431 ")


def test_a_stopping_worker_does_not_wait_the_whole_time_limit_on_a_client_that_sent_nothing(
    database_uri, tmp_path
):
    process, port = start_gunicorn(database_uri, tmp_path, time_limit=20)
    try:
        with connect(port) as idle:
            time.sleep(0.5)  # accepted, and waiting for its first byte
            started = time.monotonic()
            process.terminate()
            process.wait(timeout=30)
            stopped = time.monotonic() - started
            assert answer_of(idle) == b""
        assert stopped < 10  # gthread's own linger for kept-alive connections is 2 s
    finally:
        process.kill()
        process.wait(timeout=10)
