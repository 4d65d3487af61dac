"""``flask worker`` and ``flask sweep``: queue mode's workers and the sweeper that re-enqueues
what a lost job left unscored."""

from __future__ import annotations

import json
import logging
import threading

import click
from flask import current_app

from service import scoring, store
from service.platform import metrics
from service.reporting import figures
from service.scoring import queue as scoring_queue

log = logging.getLogger(__name__)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Run the jobs queued on Redis in queue mode, scoring and the reports' keywords and hot
    issues in turns; every SWEEP_INTERVAL_SECONDS, the sweeper, and with FACTS_MAX_AGE_SECONDS,
    the facts' recount. Run several, on as many machines as you like; each takes jobs one at
    a time."""
    import redis
    from rq import Queue
    from rq.worker import DequeueStrategy

    from service.platform.worker import Worker

    config = current_app.config
    if not config["REDIS_URL"]:
        raise click.UsageError("REDIS_URL is not set: there is no queue to work on")
    scoring.current()  # the models, loaded once before the first job
    if config["WORKER_METRICS_BIND"]:
        metrics.serve_worker_metrics(config["WORKER_METRICS_BIND"])
    app = current_app._get_current_object()
    stop = threading.Event()

    def every(seconds: int, task) -> None:
        while not stop.wait(seconds):
            with app.app_context():
                try:
                    task()
                except Exception:  # tried again next interval
                    log.exception("%s failed", task.__name__)

    click.echo(f"swept: {scoring_queue.sweep()}")
    store.end_job()  # the sweep's reads: no transaction left open while the worker waits
    tasks = [(config["SWEEP_INTERVAL_SECONDS"], scoring_queue.sweep)]
    if config["FACTS_MAX_AGE_SECONDS"]:
        tasks.append((config["FACTS_MAX_AGE_SECONDS"], figures.keep_facts_fresh))
    for seconds, task in tasks:
        thread = threading.Thread(target=every, args=(seconds, task), daemon=True)
        thread.start()
    # no socket timeout: the worker blocks on the queue for longer than the web's half second
    connection = redis.Redis.from_url(config["REDIS_URL"])
    names = ("SCORING_QUEUE", "REPORT_QUEUE")
    queues = [Queue(config[name], connection=connection) for name in names]
    try:
        # in turns: under a steady stream of posts the scoring queue is never empty, and a
        # worker that took reports only then would leave them waiting forever
        Worker(queues, connection=connection).work(
            burst=burst, with_scheduler=False, dequeue_strategy=DequeueStrategy.ROUND_ROBIN
        )
    finally:
        stop.set()


@click.command("sweep")
def sweep() -> None:
    """Enqueue again the ratings and messages still unscored after SWEEP_AFTER_SECONDS (their
    job was lost with Redis or a worker); with Redis down, score them here."""
    click.echo(json.dumps(scoring_queue.sweep()))
