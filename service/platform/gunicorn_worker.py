"""The gunicorn worker that serves the app: gthread, but a request reaches a thread only whole.

gunicorn's gthread worker hands a connection to a pool thread as soon as its first bytes
arrive, and the thread then blocks reading the rest of the request. A client that sends one
header line every 2 s holds that thread for as long as it likes; ``GUNICORN_THREADS`` such
clients (10 did it with 4 threads) leave none for anyone else, ``/healthz`` included. This
worker reads each request in the main (poller) thread instead, without blocking: its head
until the blank line that ends it, then a body of known size up to ``MAX_CONTENT_LENGTH``
(chunked up to its last chunk), and submits it to the pool only when it is all there. A head
not complete within ``REQUEST_HEADER_TIMEOUT`` seconds, or a body not within
``REQUEST_BODY_TIMEOUT`` more, is answered 408 in the one JSON error shape and closed (an
idle connection that sent nothing is just closed, as gunicorn closes an idle kept-alive one).

Why this and not gevent (an async worker): SnowNLP and jieba are CPU-bound and would stall
every other request of a gevent worker while they score, and psycopg 3 and redis-py would
have to be patched to cooperate. The threads stay for that; only reading, which costs a
thread nothing but waiting, moves to the poller.

What stays gunicorn's: parsing, its 400/414/431 (a head over its limits is handed over as
soon as it is over them, for gunicorn to refuse), keep-alive and pipelining (bytes read past
a request are given to the parser and the next one is read the same way), 100-continue,
graceful shutdown, and writing the answer (a client that reads the answer slowly still holds
a thread while it does: a buffering proxy in front takes care of that, README "Deployment").
A body larger than ``MAX_CONTENT_LENGTH`` is not buffered: the app refuses it (413) from its
declared length, and gunicorn drains at most 64 KiB of it within 5 s. With TLS, the PROXY
protocol or cleartext HTTP/2 configured in gunicorn, reading stays gthread's own (the poller
cannot read those without blocking); this project uses none of them.

This module imports gunicorn, never the app: it runs in gunicorn's master and workers.
"""

from __future__ import annotations

import json
import selectors
import socket
import time
from dataclasses import dataclass, field
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker

#: What one recv() in the poller takes at most.
READ_SIZE = 64 * 1024
#: gunicorn's own bound on the header block when ``limit_request_fields`` is 0 or larger.
MAX_HEADERS = 32768
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
#: How long a connection answered 408 is read from (and what is read dropped) before it is
#: closed: closing with unread bytes would reset it, and the client could lose the answer.
LINGER_SECONDS = 2.0


@dataclass
class _Reading:
    """A request being read by the poller: its bytes so far and when it must be complete."""

    deadline: float
    received: bytearray = field(default_factory=bytearray)
    head_end: int | None = None  # where the body starts, once the head is complete
    body_end: int | None = None  # where a body of known length ends
    chunked: bool = False
    next_chunk: int = 0  # where the chunk not yet scanned starts


class BufferingThreadWorker(ThreadWorker):
    """gthread whose poller reads every request whole, within time limits, before a thread
    serves it. ``configured`` sets the limits (gunicorn.conf.py reads them from the env)."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_buffered_body: int = 64 * 1024

    @classmethod
    def configured(
        cls, *, header_timeout: float, body_timeout: float, max_buffered_body: int
    ) -> type[BufferingThreadWorker]:
        """This worker class with these limits, for gunicorn's ``worker_class``."""
        if header_timeout <= 0 or body_timeout <= 0 or max_buffered_body < 0:
            raise ValueError("request timeouts must be positive and the body size not negative")
        limits = {
            "header_timeout": float(header_timeout),
            "body_timeout": float(body_timeout),
            "max_buffered_body": int(max_buffered_body),
        }
        return type(cls.__name__, (cls,), {**limits, "__module__": cls.__module__})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reading: dict[TConn, _Reading] = {}
        self.lingering: dict[TConn, float] = {}
        cfg = self.cfg
        self.buffers = not cfg.is_ssl and (cfg.proxy_protocol, cfg.http2_cleartext) == (
            "off",
            "off",
        )
        self.line_limit = cfg.limit_request_line if cfg.limit_request_line > 0 else 1 << 20
        fields = cfg.limit_request_fields
        fields = fields if 0 < fields <= MAX_HEADERS else MAX_HEADERS
        field_size = cfg.limit_request_field_size if cfg.limit_request_field_size > 0 else 8190
        # The longest head gunicorn's parser accepts: one byte more and it refuses it itself.
        self.head_limit = self.line_limit + 2 + fields * (field_size + 2) + 4

    # -- handing over ---------------------------------------------------------------------

    def enqueue_req(self, conn: TConn) -> None:
        """Read the connection's next request in the poller before a thread takes it.

        gthread calls this for a new connection, a kept-alive one that became readable, and
        one whose last request left pipelined bytes in the parser: each starts reading here.
        """
        if not self.buffers:
            super().enqueue_req(conn)
            return
        reading = _Reading(deadline=time.monotonic() + self.header_timeout)
        if conn.parser is not None:
            reading.received += conn.parser.unreader.take_buffered()
        conn.sock.setblocking(False)
        self.reading[conn] = reading
        if reading.received and self._complete(conn, reading):
            self._submit(conn, reading)
        else:
            self.poller.register(
                conn.sock, selectors.EVENT_READ, partial(self.on_request_readable, conn)
            )

    def on_request_readable(self, conn: TConn, _sock) -> None:
        reading = self.reading.get(conn)
        if reading is None:
            return
        try:
            data = conn.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away before its request was whole
            self._drop(conn)
            return
        reading.received += data
        if self._complete(conn, reading):
            self.poller.unregister(conn.sock)
            self._submit(conn, reading)

    def _submit(self, conn: TConn, reading: _Reading) -> None:
        del self.reading[conn]
        conn.received = bytes(reading.received)
        conn.data_ready = True  # gthread's handle() must not wait for data: it is here
        super().enqueue_req(conn)

    def handle(self, conn: TConn):
        """In a pool thread: give the parser what the poller read, then serve as gthread does."""
        received = getattr(conn, "received", b"")
        if received:
            conn.received = b""
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(received)
        return super().handle(conn)

    # -- when is a request whole ----------------------------------------------------------

    def _complete(self, conn: TConn, reading: _Reading) -> bool:
        """Whether the request is all here, or the parser can refuse it with what is here."""
        received = reading.received
        if reading.head_end is None:
            end = received.find(b"\r\n\r\n")
            if end < 0:
                first_line = received.find(b"\r\n", 0, self.line_limit + 3)
                return (
                    len(received) > self.head_limit
                    or (first_line < 0 and len(received) > self.line_limit + 2)
                    # a bare LF: gunicorn refuses the head at once (400), it would never end
                    or received.count(b"\n") != received.count(b"\r\n")
                )
            reading.head_end = end + 4
            if not self._frame_body(conn, reading, bytes(received[:end])):
                return True
        if reading.chunked:
            return self._chunked_complete(reading)
        return reading.body_end is None or len(received) >= reading.body_end

    def _frame_body(self, conn: TConn, reading: _Reading, head: bytes) -> bool:
        """Learn how the body ends from the head; False when there is nothing to wait for
        (no body, one too large to buffer, or framing the parser will refuse)."""
        lines = head.split(b"\r\n")
        version = lines[0].rsplit(b" ", 1)[-1]
        headers: dict[bytes, list[bytes]] = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers.setdefault(name.strip().lower(), []).append(value.strip().lower())
        lengths = headers.get(b"content-length", [])
        if b"transfer-encoding" in headers:
            codings = b",".join(headers[b"transfer-encoding"]).split(b",")
            if codings[-1].strip() != b"chunked" or lengths:
                return False
            reading.chunked = True
            reading.next_chunk = reading.head_end
        elif len(lengths) == 1 and lengths[0].isdigit():
            length = int(lengths[0])
            if length == 0 or length > self.max_buffered_body:
                return False
            reading.body_end = reading.head_end + length
        else:
            return False
        reading.deadline = time.monotonic() + self.body_timeout
        if version == b"HTTP/1.1" and headers.get(b"expect") == [b"100-continue"]:
            # The client waits for this before it sends the body. gunicorn sends its own
            # again once the request is served, which RFC 9110 (15.2) lets clients expect.
            self._send(conn, CONTINUE)
        return True

    def _chunked_complete(self, reading: _Reading) -> bool:
        received = reading.received
        if len(received) - reading.head_end > self.max_buffered_body + 16 * 1024:
            return True  # too large: the app refuses it (413) reading what is here
        while True:
            line_end = received.find(b"\r\n", reading.next_chunk)
            if line_end < 0:
                return False
            size = bytes(received[reading.next_chunk : line_end]).split(b";")[0].strip()
            try:
                length = int(size, 16)
            except ValueError:
                return True  # the parser refuses it (400)
            if length == 0:  # the last chunk: then trailers, if any, and a blank line
                return received.find(b"\r\n\r\n", line_end) >= 0
            following = line_end + 2 + length + 2
            if following > len(received):
                return False
            reading.next_chunk = following

    # -- time limits ----------------------------------------------------------------------

    def _cap_keepalive(self, deadline: float) -> None:
        """When the worker stops, a connection that has sent nothing yet is as good as a
        kept-alive one: it stays ``STOP_KEEPALIVE_LINGER`` at most, not its whole time limit.
        One that is sending a request has until its own limit to finish it."""
        super()._cap_keepalive(deadline)
        for reading in self.reading.values():
            if not reading.received:
                reading.deadline = min(reading.deadline, deadline)

    def murder_pending(self) -> None:
        """Also close, with a 408, every request not read within its time limit."""
        super().murder_pending()
        now = time.monotonic()
        for conn, reading in list(self.reading.items()):
            if reading.deadline > now:
                continue
            if reading.received:
                self._refuse(conn, self._timed_out(reading))
            else:
                self._drop(conn)
        for conn, until in list(self.lingering.items()):
            if until <= now:
                self._drop(conn)

    def _timed_out(self, reading: _Reading) -> bytes:
        if reading.head_end is None:
            part, said = "headers", f"Not all received within {self.header_timeout:g} s."
        else:
            part, said = "json", f"Not all received within {self.body_timeout:g} s."
        body = json.dumps(
            {
                "code": 408,
                "status": "Request Timeout",
                "message": "The request was not received in time.",
                "errors": {part: [said]},
            }
        ).encode()
        head = (
            "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        return head.encode() + body

    def _send(self, conn: TConn, data: bytes) -> None:
        """Best effort, never blocking: the socket's buffer takes a few hundred bytes."""
        try:
            conn.sock.send(data)
        except OSError:
            pass

    def _refuse(self, conn: TConn, answer: bytes) -> None:
        """Answer and close as RFC 9112 (9.6) says: send, half-close, read until the client
        closes too or ``LINGER_SECONDS`` pass, then close."""
        self.reading.pop(conn, None)
        self._send(conn, answer)
        try:
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._drop(conn)
            return
        self.lingering[conn] = time.monotonic() + LINGER_SECONDS
        self.poller.modify(
            conn.sock, selectors.EVENT_READ, partial(self.on_lingering_readable, conn)
        )

    def on_lingering_readable(self, conn: TConn, _sock) -> None:
        try:
            if conn.sock.recv(READ_SIZE):
                return
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            pass
        self._drop(conn)

    def _drop(self, conn: TConn) -> None:
        self.reading.pop(conn, None)
        self.lingering.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.nr_conns -= 1
        conn.close()
