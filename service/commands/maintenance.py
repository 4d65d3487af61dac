"""``flask rescore``, ``flask purge-idempotency`` and ``flask relink-repeats``: upkeep run after
an upgrade or a new model, or daily."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app

from analytics.replies import MODEL_VERSION
from service import store
from service.commands.files import recount_marked_days
from service.intake import repeats
from service.scoring import replies, rescoring


@click.command("rescore")
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
@click.option(
    "--sentiment", "sentiment_only", is_flag=True,
    help="Only the sentiment of ratings and messages; themes stay as they are.",
)  # fmt: skip
@click.option(
    "--replies", "replies_only", is_flag=True,
    help="Only the replies' quality (答复质量): those never judged or judged by an older model.",
)  # fmt: skip
def rescore(batch_size: int, sentiment_only: bool, replies_only: bool) -> None:
    """Re-score and re-classify the stored texts an older model scored: after `sentiment train`
    or `themes train`, or an upgrade that ships a new model; and judge the replies no model
    in use judged. Resumable: run it again after a stop and it carries on."""
    unjudged = store.replies.count_unjudged(MODEL_VERSION)
    if replies_only:
        _judge_replies(unjudged)
        return
    ratings, messages = rescoring.count_stale(with_themes=not sentiment_only)
    with click.progressbar(length=ratings, label=f"ratings ({ratings})") as bar:
        rescoring.rescore_ratings(batch_size, bar.update)
    with click.progressbar(length=messages, label=f"messages ({messages})") as bar:
        rescoring.rescore_messages(batch_size, bar.update, themes=not sentiment_only)
    click.echo(f"re-scored {ratings} ratings and {messages} messages")
    _judge_replies(unjudged)
    recount_marked_days()


def _judge_replies(count: int) -> None:
    with click.progressbar(length=count, label=f"replies ({count})") as bar:
        judged = replies.judge_pending(progress=bar.update)
    click.echo(f"judged {judged} replies")


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
