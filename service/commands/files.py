"""What the commands share: the options naming a labelled file and its columns, reading its
rows with a usage error (exit 2) that names what is wrong, and the recount a bulk write ends
with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from analytics.tables import TableError, read_rows
from service import store
from service.reporting import figures


def labelled_file_options(text_help: str, label_help: str) -> Callable:
    """--input FILE, --text-column (repeatable), --label-column, --no-header."""

    def decorate(command: Callable) -> Callable:
        options = [
            click.option(
                "--input", "path", required=True, type=click.Path(exists=True, path_type=Path)
            ),
            click.option("--text-column", "text_columns", required=True, multiple=True,
                         help=text_help),
            click.option("--label-column", required=True, help=label_help),
            click.option(
                "--header/--no-header",
                default=True,
                help="--no-header: the first row is data; columns are named 1, 2, 3...",
            ),
        ]  # fmt: skip
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def rows_of(path: Path, columns: tuple[str, ...], *, header: bool = True) -> list[dict]:
    try:
        return list(read_rows(path, columns, header=header))
    except TableError as error:
        raise click.UsageError(str(error)) from error


def recount_marked_days() -> None:
    """Recount the days a bulk write marked, here, with a progress bar: the command pays for
    its writes, not the first read after it."""
    marked = store.facts.count_dirty()
    with click.progressbar(length=marked, label=f"recounting the figures of {marked} days") as bar:
        recounted = figures.recount_now(bar.update)
    click.echo(f"recounted {recounted} days")
