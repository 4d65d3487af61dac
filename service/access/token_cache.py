"""Who holds a token, remembered between requests, so that authentication costs no database
query per request (it was a quarter of a worker's time under intake load).

A revocation anywhere (an admin's request to another worker, the CLI) writes a new random
generation to Redis after its commit; every lookup reads the generation first, one GET, and
only an entry stored under the generation just read is used. So a token is refused from the
first request that starts after its revocation answered, in every process. An entry also lives
``TOKEN_CACHE_SECONDS`` at most, and the cache holds ``TOKEN_CACHE_SIZE`` of them.

Without Redis there is nowhere to hear of a revocation made in another process, so there is
no cache: each request asks the database. With Redis not answering, likewise.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable

from cachetools import TTLCache
from flask import Flask, current_app

from service.access.callers import Caller
from service.platform import redis_client

log = logging.getLogger(__name__)

EXTENSION = "minsheng.token_cache"
GENERATION_KEY = "minsheng:accounts:generation"
#: The generation before any revocation was announced (or after Redis lost its data): a value
#: a new generation never takes, since those are random.
_FIRST = b""


class TokenCache:
    """Callers by their token's hash, each kept with the generation it was read under."""

    def __init__(
        self,
        redis_url: str,
        size: int,
        seconds: float,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis_url = redis_url
        self._entries: TTLCache[str, tuple[bytes, Caller]] = TTLCache(size, seconds, timer)
        self._lock = threading.Lock()  # TTLCache is not thread-safe; gthread workers share it

    def generation(self) -> bytes | None:
        """The current generation, or None when Redis does not answer (use no entry)."""
        import redis

        try:
            return redis_client.client(self.redis_url).get(GENERATION_KEY) or _FIRST
        except redis.RedisError as error:
            log.warning("redis get failed, tokens checked in the database: %s", error)
            return None

    def get(self, token_hash: str, generation: bytes) -> Caller | None:
        with self._lock:
            found = self._entries.get(token_hash)
        return found[1] if found is not None and found[0] == generation else None

    def put(self, token_hash: str, generation: bytes, caller: Caller) -> None:
        """Remember ``caller``, read from the database after ``generation`` was read."""
        with self._lock:
            self._entries[token_hash] = (generation, caller)

    def clear(self) -> None:
        """Forget every holder (the tests' one app outlives each test's accounts)."""
        with self._lock:
            self._entries.clear()


def announce_revocation(redis_url: str | None) -> None:
    """After a revocation's commit: every process's cached callers are stale from now on.
    A failure is logged; the caches then keep the revoked token for TOKEN_CACHE_SECONDS at
    most (while Redis does not answer they are not used at all)."""
    if redis_url is None:
        return
    import redis

    try:
        redis_client.client(redis_url).set(GENERATION_KEY, secrets.token_bytes(16))
    except redis.RedisError as error:
        log.error(
            "redis set failed: a revoked token may be accepted by other processes for up to "
            "TOKEN_CACHE_SECONDS: %s",
            error,
        )


def init_token_cache(app: Flask) -> None:
    """Give ``app`` its cache: none without Redis or with no lifetime."""
    config = app.config
    cache = None
    if config["REDIS_URL"] and config["TOKEN_CACHE_SECONDS"] > 0:
        cache = TokenCache(
            config["REDIS_URL"], config["TOKEN_CACHE_SIZE"], config["TOKEN_CACHE_SECONDS"]
        )
    app.extensions[EXTENSION] = cache


def token_cache() -> TokenCache | None:
    """The current app's cache."""
    return current_app.extensions.get(EXTENSION)
