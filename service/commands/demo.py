"""``flask --app wsgi demo``: load the demo data (service/demo/), once."""

from __future__ import annotations

import click

from service.demo import DemoOptions, DemoSummary, find_loaded, load_demo

_DEFAULTS = DemoOptions()


@click.command("demo")
@click.option(
    "--days",
    default=_DEFAULTS.days,
    show_default=True,
    type=click.IntRange(1, 366),
    help="Days up to today in the main stretch.",
)
@click.option(
    "--ratings",
    default=_DEFAULTS.ratings,
    show_default=True,
    type=click.IntRange(0),
    help="Ratings in the main stretch.",
)
@click.option(
    "--messages",
    default=_DEFAULTS.messages,
    show_default=True,
    type=click.IntRange(0),
    help="Messages in the main stretch, besides the planted hot issues and repeats.",
)
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="Multiplies --ratings and --messages (the load time grows with them).",
)
@click.option(
    "--history-months",
    default=_DEFAULTS.history_months,
    show_default=True,
    type=click.IntRange(0, 24),
    help="Months of thin history before the main stretch, for the trends.",
)
@click.option(
    "--seed",
    default=_DEFAULTS.seed,
    show_default=True,
    type=int,
    help="The same seed loads the same data, relative to today.",
)
def demo(days, ratings, messages, scale, history_months, seed) -> None:
    """Load a realistic recent stretch of ratings and messages across Jiangxi, handled and
    rectified, with hot issues, repeats and spike alerts, so that every page of the
    dashboard shows something. Run again, it says the data is there and adds nothing."""
    if any(existing := find_loaded()):
        click.echo("\n".join(DemoSummary(existing=existing).lines()))
        return
    options = DemoOptions(
        days=days,
        ratings=round(ratings * scale),
        messages=round(messages * scale),
        history_months=history_months,
        seed=seed,
    )
    with click.progressbar(length=0, label="ratings and messages") as bar:

        def planned(total: int) -> None:
            bar.length = total

        summary = load_demo(options, progress=bar.update, planned=planned)
    for line in summary.lines():
        click.echo(line)
