"""Scoring messages: their sentiment and theme with the models and thresholds in use, here or
in a pool of processes (the history import's).

The pool never hangs its caller. Its processes are started by "forkserver" (or "spawn"), never
forked from the caller: a fork copies the caller's locks as they stand, held by threads that
do not exist in the child (the database's and Redis's clients, jieba's loader, logging), and
a child that waits on one waits forever, as does whoever waits for it. Each process gets the
models once, pickled, when it starts. A batch whose scores do not come within ``wait``
seconds, a process that dies and a pool that cannot start all end the pool: its processes are
stopped (terminated, if they do not stop within ``STOP_SECONDS``), and the scoring goes on in
the caller's process. What the caller gets is the same either way: every message scored.

>>> from analytics.sentiment import load_model
>>> from analytics.themes import RuleClassifier, Taxonomy
>>> scorer = Scorer(load_model(), RuleClassifier(Taxonomy.default()), 0.4, 0.6, 0.0)
>>> with ScoringPool(scorer, workers=2) as pool:
...     scores = pool.start([("路灯坏了", "南昌市东湖区路灯不亮，晚上很黑")])()
>>> scores[0][1].code
'construction.municipal'
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from analytics.sentiment import Sentiment, message_text, score_text
from analytics.themes import Placement

log = logging.getLogger(__name__)

CHUNK = 50  # messages a pool process scores in one task
WAIT_SECONDS = 120.0  # for a batch's scores: at 250 messages/s, 500 take 2 s
STOP_SECONDS = 10.0  # for the pool's processes to stop of themselves, then they are killed


@dataclass(frozen=True)
class Scorer:
    """The models in use and their settings as one plain object, so that a message is scored
    the same way in a request, a command or a pool process."""

    sentiment_model: Any
    classifier: Any
    negative_below: float
    positive_above: float
    theme_threshold: float

    def score(self, title: str, content: str) -> tuple[Sentiment, Placement]:
        """The message's sentiment and theme (none below the theme threshold)."""
        return self.score_many([(title, content)])[0]

    def score_many(self, messages: list[tuple[str, str]]) -> list[tuple[Sentiment, Placement]]:
        """Each message's sentiment and theme; the themes placed in one call."""
        texts = [
            score_text(
                message_text(title, content),
                self.sentiment_model,
                negative_below=self.negative_below,
                positive_above=self.positive_above,
            )
            for title, content in messages
        ]
        themes = [self._confident(t) for t in self.classifier.classify_many(messages)]
        return list(zip(texts, themes, strict=True))

    def _confident(self, theme: Placement) -> Placement:
        if theme.code is not None and theme.confidence < self.theme_threshold:
            return Placement(None, theme.confidence, theme.model)
        return theme


Scores = list[tuple[Sentiment, Placement]]


class ScoringPool:
    """``start(messages)`` starts scoring a list of (title, content) and returns a function
    that waits for the scores: in ``workers`` processes, or in this one once the pool has
    failed (or for ``workers`` 1). Use it as a context manager: leaving stops the processes."""

    def __init__(self, scorer: Scorer, workers: int, wait: float = WAIT_SECONDS) -> None:
        self.scorer, self.wait = scorer, wait
        self._executor: ProcessPoolExecutor | None = None
        if workers > 1:
            methods = multiprocessing.get_all_start_methods()
            method = "forkserver" if "forkserver" in methods else "spawn"
            try:
                self._executor = ProcessPoolExecutor(
                    workers, multiprocessing.get_context(method), _start_process, (scorer,)
                )
            except Exception as error:  # no processes here (a system without semaphores)
                self._fail(error)

    def __enter__(self) -> ScoringPool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self, messages: list[tuple[str, str]]) -> Callable[[], Scores]:
        if self._executor is not None:
            chunks = [messages[n : n + CHUNK] for n in range(0, len(messages), CHUNK)]
            try:
                futures = [self._executor.submit(_score_in_process, chunk) for chunk in chunks]
            except Exception as error:  # the processes cannot start (or the pool broke)
                self._fail(error)
            else:
                return lambda: self._collect(futures, messages)
        scores = self.scorer.score_many(messages)
        return lambda: scores

    def stop(self, grace: float = STOP_SECONDS) -> None:
        """Stop the processes: let them exit for ``grace`` seconds, then terminate (and,
        failing that, kill) those still there, so that no process outlives the pool and
        nothing waits on one that hangs (the executor's own shutdown would wait for ever)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list((executor._processes or {}).values())  # 3.14: terminate_workers()
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(1)
            if process.is_alive():
                process.kill()
                process.join(1)

    def _collect(self, futures: list[Future], messages: list[tuple[str, str]]) -> Scores:
        if self._executor is not None:
            deadline = time.monotonic() + self.wait
            try:
                return [
                    scored
                    for future in futures
                    for scored in future.result(max(0.0, deadline - time.monotonic()))
                ]
            except Exception as error:  # a process died or hangs, the pool broke
                self._fail(error)
        return self.scorer.score_many(messages)

    def _fail(self, error: BaseException) -> None:
        log.warning("the scoring processes failed (%r): scoring in this process", error)
        self.stop(grace=0)


_scorer: Scorer | None = None  # what a pool process scores with


def _start_process(scorer: Scorer) -> None:
    global _scorer
    _scorer = scorer


def _score_in_process(messages: list[tuple[str, str]]) -> Scores:
    return _scorer.score_many(messages)
