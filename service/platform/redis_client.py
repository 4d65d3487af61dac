"""Redis, optional: every call is guarded, so the app runs, degraded, without it."""

from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)


def ping(url: str, timeout: float = 0.5) -> bool:
    """Whether the Redis server at ``url`` answers within ``timeout`` seconds."""
    import redis  # deferred: 7 MB that a deployment without Redis never needs

    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError as error:
        log.warning("redis at %s does not answer: %s", url, error)
        return False


@functools.cache
def client(url: str):
    """One connection pool per process and server, with short timeouts: a Redis that hangs
    must cost a request half a second, not its life."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def get(url: str, key: str) -> bytes | None:
    """The value at ``key``, or None if absent or if Redis fails (logged)."""
    import redis

    try:
        return client(url).get(key)
    except redis.RedisError as error:
        log.warning("redis get failed, going without: %s", error)
        return None


def set(url: str, key: str, value: bytes, seconds: int) -> None:
    """Store ``value`` at ``key`` for ``seconds``; a failure is logged and forgotten."""
    import redis

    try:
        client(url).set(key, value, ex=seconds)
    except redis.RedisError as error:
        log.warning("redis set failed, going without: %s", error)


def claim(url: str, key: str, seconds: int) -> bool:
    """Whether this caller is the first to claim ``key`` in the last ``seconds``, across every
    process; True when Redis fails (logged), so that the work is done rather than skipped."""
    import redis

    try:
        return bool(client(url).set(key, b"1", ex=seconds, nx=True))
    except redis.RedisError as error:
        log.warning("redis set failed, claiming: %s", error)
        return True


def delete(url: str, key: str) -> None:
    """Delete ``key``; a failure is logged and forgotten (it expires)."""
    import redis

    try:
        client(url).delete(key)
    except redis.RedisError as error:
        log.warning("redis delete failed, going without: %s", error)
