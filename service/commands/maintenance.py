"""``flask rescore``, ``flask purge-idempotency`` and ``flask relink-repeats``: upkeep run after
an upgrade or a new model, or daily."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app

from service import store
from service.commands.files import recount_marked_days
from service.intake import repeats
from service.scoring import rescoring


@click.command("rescore")
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
@click.option(
    "--sentiment", "sentiment_only", is_flag=True,
    help="Only the sentiment of ratings and messages; themes stay as they are.",
)  # fmt: skip
def rescore(batch_size: int, sentiment_only: bool) -> None:
    """Re-score and re-classify the stored texts an older model scored: after `sentiment train`
    or `themes train`, or an upgrade that ships a new model. Resumable: run it again after a
    stop and it carries on."""
    ratings, messages = rescoring.count_stale(with_themes=not sentiment_only)
    with click.progressbar(length=ratings, label=f"ratings ({ratings})") as bar:
        rescoring.rescore_ratings(batch_size, bar.update)
    with click.progressbar(length=messages, label=f"messages ({messages})") as bar:
        rescoring.rescore_messages(batch_size, bar.update, themes=not sentiment_only)
    click.echo(f"re-scored {ratings} ratings and {messages} messages")
    recount_marked_days()


@click.command("purge-idempotency")
def purge_idempotency() -> None:
    """Delete Idempotency-Key answers older than IDEMPOTENCY_TTL_HOURS (run daily)."""
    ttl = timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
    click.echo(f"Deleted {store.idempotency.purge_expired_answers(ttl)} expired answers.")


@click.command("relink-repeats")
def relink_repeats() -> None:
    """Once, after upgrading: link again by the rule of one region the repeats (重复件) linked
    to a message of another region, so that each counts, and is chased, in its own region."""
    click.echo(f"Linked {repeats.relink_across_regions()} repeats again.")
