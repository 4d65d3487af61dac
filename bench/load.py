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


async def _one_connection(host, port, next_request, deadline, result, ok_statuses):
    reader = writer = None
    while time.perf_counter() < deadline:
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
        payload = next_request()
        started = time.perf_counter()
        try:
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
            await reader.readexactly(length)
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
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


def cycle(items: list) -> Iterator:
    return itertools.cycle(items)


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} (min {min(values):.1f}, max {max(values):.1f})"
