"""Finished reports, cached in Redis when REDIS_URL is set. A report is keyed by what it was
asked for and by the versions of the days its facts were summed from (and the taxonomy it
names), so a cached one is never served once one of those days was recounted: the cache is
dropped exactly when the facts behind it change, without anything to delete. Entries left
behind expire after REPORT_CACHE_SECONDS. The costly parts of a period still running
(keywords, hot issues) are kept instead for REPORT_DETAILS_MAX_AGE seconds: exact keys would
change with every new message."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import current_app

from service import store
from service.platform import metrics, redis_client

PREFIX = "minsheng:report:"


def cached(name: str, asked: dict, first: date, last: date, build: Callable[[], Any]) -> Any:
    """``build()``'s report, from the cache when the facts of ``first`` up to ``last`` have
    not been recounted since it was stored. Call it after bringing the facts up to date."""
    if not current_app.config["REDIS_URL"]:
        return build()
    versions = store.facts.fetch_versions(first, last)
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    return _through_cache([name, asked, versions], seconds, build)


def cached_recent(name: str, asked: dict, build: Callable[[], Any]) -> Any:
    """``build()``'s result, from the cache if it is at most REPORT_DETAILS_MAX_AGE seconds
    old, whatever was written since: for the costly parts (keywords, hot issues) of a period
    still running, where every new message recounts today and an exact key would never hit."""
    if not current_app.config["REDIS_URL"]:
        return build()
    return _through_cache([name, asked], current_app.config["REPORT_DETAILS_MAX_AGE"], build)


def _through_cache(identity: list, seconds: int, build: Callable[[], Any]) -> Any:
    taxonomy = store.taxonomy.fetch_taxonomy(with_retired=True).fingerprint
    named = json.dumps([*identity, taxonomy], default=str, sort_keys=True)
    key = PREFIX + hashlib.sha256(named.encode()).hexdigest()
    if (hit := get(key)) is not None:
        metrics.REPORT_CACHE.labels(identity[0], "hit").inc()
        return hit
    metrics.REPORT_CACHE.labels(identity[0], "miss").inc()
    if (on_workers := getattr(build, "through_workers", None)) is not None:
        return on_workers(key, seconds)  # a build the workers run and store (report_jobs)
    result = build()
    put(key, result, seconds)
    return result


def get(key: str) -> Any:
    """What is cached at ``key``, or None (absent, or Redis failing)."""
    hit = redis_client.get(current_app.config["REDIS_URL"], key)
    return None if hit is None else json.loads(hit, object_hook=_decoded)


def put(key: str, result: Any, seconds: int) -> None:
    stored = json.dumps(result, default=_encoded, ensure_ascii=False).encode()
    redis_client.set(current_app.config["REDIS_URL"], key, stored, seconds)


def _encoded(value: Any) -> dict:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decoded(value: dict) -> Any:
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    return value
