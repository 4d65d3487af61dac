"""A small closed-loop HTTP/1.1 load generator over loopback: N keep-alive connections, each
sending its next request as soon as the last answer arrives, for a bounded time.

asyncio and raw sockets keep the client cheap, so that on a 2-core machine most CPU goes to the
server being measured.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0

    def line(self) -> str:
        return (
            f"{self.name:<28} {self.requests_per_second:8.1f} req/s"
            f"   p50 {self.percentile(50):6.1f} ms"
            f"   p99 {self.percentile(99):6.1f} ms   errors {self.errors}   n {len(self.latencies)}"
            f"   statuses {dict(sorted(self.statuses.items()))}"
        )


def request_bytes(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def exchange(reader, writer, payload: bytes) -> tuple[int, bool, bytes]:
    """Send one request on a keep-alive connection; (status, whether the server closes the
    connection, body). Raises ConnectionError, IncompleteReadError or ValueError."""
    writer.write(payload)
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, close = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and value.strip().lower() == "close":
            close = True
    return status, close, await reader.readexactly(length)


_BROKEN = (ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError)


async def _one_connection(host, port, next_request, deadline, result, ok_statuses):
    reader = writer = None
    while time.perf_counter() < deadline:
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
        payload = next_request()
        started = time.perf_counter()
        try:
            status, close, _ = await exchange(reader, writer, payload)
        except _BROKEN:
            result.errors += 1
            writer.close()
            writer = None
            continue
        result.latencies.append(time.perf_counter() - started)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status not in ok_statuses:
            result.errors += 1
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def run_load(
    name: str,
    port: int,
    make_request: Callable[[], bytes],
    *,
    connections: int = 32,
    seconds: float = 10.0,
    warmup: float = 2.0,
    ok_statuses: tuple[int, ...] = (200, 201),
) -> LoadResult:
    """Warm up, then load for ``seconds`` with ``connections`` keep-alive connections."""

    async def phase(duration: float) -> LoadResult:
        result = LoadResult(name, duration)
        deadline = time.perf_counter() + duration
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _one_connection("127.0.0.1", port, make_request, deadline, result, ok_statuses)
                for _ in range(connections)
            )
        )
        result.seconds = time.perf_counter() - started
        return result

    asyncio.run(phase(warmup))
    return asyncio.run(phase(seconds))


@dataclass
class Stream:
    """Requests of one kind sent at a fixed rate, whatever the answers' pace (open loop)."""

    name: str
    per_second: float
    make_request: Callable[[], bytes]
    ok_statuses: tuple[int, ...] = (200, 201)


def run_open_loop(
    port: int, streams: list[Stream], seconds: float, *, connections: int = 64
) -> dict[str, LoadResult]:
    """Send every stream at its rate for ``seconds`` over at most ``connections`` keep-alive
    connections; a request is timed from when it was due, so a server that falls behind shows
    it in the latencies (no coordinated omission)."""

    async def run() -> dict[str, LoadResult]:
        results = {s.name: LoadResult(s.name, seconds) for s in streams}
        idle: asyncio.Queue = asyncio.Queue()
        opened = 0
        in_flight: set[asyncio.Task] = set()

        async def send(stream: Stream, due: float) -> None:
            nonlocal opened
            result = results[stream.name]
            if idle.empty() and opened < connections:
                opened += 1
                idle.put_nowait(await asyncio.open_connection("127.0.0.1", port))
            reader, writer = await idle.get()
            try:
                status, close, _ = await exchange(reader, writer, stream.make_request())
            except _BROKEN:
                result.errors += 1
                writer.close()
                opened -= 1
                return
            result.latencies.append(time.perf_counter() - due)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.errors += status not in stream.ok_statuses
            if close:
                writer.close()
                opened -= 1
            else:
                idle.put_nowait((reader, writer))

        async def pace(stream: Stream, start: float) -> None:
            n = 0
            while (due := start + n / stream.per_second) < start + seconds:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                task = asyncio.create_task(send(stream, due))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                n += 1

        start = time.perf_counter()
        await asyncio.gather(*(pace(s, start) for s in streams))
        await asyncio.gather(*list(in_flight))
        for result in results.values():
            result.seconds = seconds
        return results

    return asyncio.run(run())


def cycle(items: list) -> Iterator:
    return itertools.cycle(items)


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} (min {min(values):.1f}, max {max(values):.1f})"
