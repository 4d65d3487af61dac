"""Judging replies (答复质量, analytics/replies/): each reply measured against its message and
compared with the judged replies sharing a band key with it, for templates. A reply whose
text turns out to have gone to ``Thresholds.template_twins`` unrelated messages makes the
earlier sendings boilerplate too: they are judged again from their stored parts.

When a reply is stored: inline mode judges it in the request, after the reply's commit;
queue mode leaves it to the workers (``judge_job``). ``flask rescore --replies`` judges the
replies of an older model, or none (stored before this existed, or imported)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import asdict
from datetime import datetime

from flask import current_app, has_app_context, has_request_context

from analytics.replies import MODEL_VERSION, Quality, Thresholds, judge
from analytics.replies.parts import Parts, measure
from analytics.replies.templates import Entry, band_keys, count_twins, signature
from analytics.workdays import working_days_between
from service import store
from service.models import Message
from service.platform import metrics
from service.platform.setting_fields import time_limit
from service.scoring import queue as scoring_queue

log = logging.getLogger(__name__)
BATCH = 200


def judge_message(message: Message) -> Quality:
    """Judge ``message``'s reply against its message and the judged replies, and write it."""
    thresholds = Thresholds()
    where = "request" if has_request_context() else "batch"
    with metrics.SCORING.labels("reply", where).time():
        parts = measure(message.title, message.content, message.reply or "",
                        _working_days(message), _limit(message))  # fmt: skip
        entry = Entry(message.id, signature(message.reply), signature(_asked(message)),
                      empty=not (message.reply or "").strip())  # fmt: skip
        bands = band_keys(entry.reply)
        alike = store.replies.fetch_alike(bands, message.id)
        entries = [_entry(signed) for signed in alike]
        twins = count_twins(entry, entries)
        quality = judge(parts, twins, thresholds)
    others = []
    if quality.boilerplate and twins >= thresholds.template_twins:
        others = _now_templates(entry, entries, alike, twins, thresholds)
    signed = store.replies.Signed(message.id, entry.reply.tobytes(), entry.message.tobytes(),
                                  json.dumps(asdict(parts)), None)  # fmt: skip
    store.replies.save(_judgement(message.id, quality, message.replied_at), signed, bands, others)
    return quality


def judge_pending(ids: Iterable[int] | None = None, progress=None) -> int:
    """Judge the replies not judged by the model in use (those of ``ids``, if given), oldest
    first, a batch at a time; returns how many."""
    done = 0
    while True:
        batch = store.replies.fetch_unjudged(MODEL_VERSION, ids, BATCH)
        if not batch:
            return done
        for message in batch:
            judge_message(message)
        done += len(batch)
        if progress is not None:
            progress(len(batch))
        if ids is not None:
            return done


def after_reply(message_id: int) -> None:
    """A reply was committed: judge it now, or leave it to a worker in queue mode (one that
    Redis does not take waits for `flask rescore --replies`). Never raises: the reply stands
    whatever befalls its judging, which `flask rescore --replies` does again."""
    try:
        if not scoring_queue.queue_mode():
            judge_pending([message_id])
        elif scoring_queue.enqueues():
            scoring_queue.put_job(judge_job, [message_id])
    except Exception:  # noqa: BLE001 (logged; the answer is the committed reply's)
        log.exception("reply %s stored, not judged", message_id)
        store.end_job()


def judge_job(ids: list[int]) -> int:
    """The job: judge these replies (those not judged already)."""
    with nullcontext() if has_app_context() else scoring_queue.worker_app().app_context():
        return judge_pending(ids)


def _now_templates(entry, entries, alike, twins, thresholds) -> list:
    """The earlier sendings of ``entry``'s text, judged again now that it is a template."""
    again = []
    for other, signed in zip(entries, alike, strict=True):
        if signed.quality is None or json.loads(signed.quality).get("boilerplate"):
            continue
        if count_twins(other, [entry]) == 0:  # not this text, or the same matter
            continue
        parts = Parts(**json.loads(signed.parts))
        quality = judge(parts, twins, thresholds)
        again.append(_judgement(signed.message_id, quality, signed.replied_at))
    return again


def _judgement(
    message_id: int, quality: Quality, replied_at: datetime | None
) -> store.replies.Judgement:
    shown = {k: v for k, v in quality.as_dict().items() if k not in ("score", "model")}
    return store.replies.Judgement(
        message_id, quality.score, json.dumps(shown), quality.model, replied_at
    )


def _entry(signed) -> Entry:
    import numpy as np  # here: a web process in queue mode judges nothing

    return Entry(
        signed.message_id,
        np.frombuffer(signed.reply_minhash, dtype=np.uint64),
        np.frombuffer(signed.message_minhash, dtype=np.uint64),
        empty=False,
    )


def _asked(message: Message) -> str:
    return f"{message.title}。{message.content}"


def _working_days(message: Message) -> int | None:
    replied: datetime | None = message.replied_at
    if replied is None or message.created_at is None:
        return None
    return working_days_between(message.created_at, replied)


def _limit(message: Message) -> int:
    kind = "difficult" if message.difficulty == "difficult" else "ordinary"
    return time_limit(current_app.config["TIME_LIMITS"], kind, message.type)
