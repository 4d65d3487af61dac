"""Redis, optional: every call is guarded, so the app runs, degraded, without it."""

from __future__ import annotations

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
