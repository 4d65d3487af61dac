"""``flask --app wsgi import messages --input FILE``: a 12345/问政 history export into the
platform, with a report of every row that was not imported and why."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from flask.cli import AppGroup

from service.commands.files import recount_marked_days, rows_of
from service.intake.history_import import (
    DEFAULT_MAP,
    FIELDS,
    REQUIRED,
    import_account,
    import_messages,
)
from service.vocabulary import MESSAGE_TYPES

imports = AppGroup("import", help="Import history from exports.")


def _mapping(pairs: tuple[str, ...], columns: set[str]) -> dict[str, str]:
    mapping = {column: name for column, name in DEFAULT_MAP.items() if column in columns}
    for pair in pairs:
        column, _, name = pair.partition("=")
        if name not in FIELDS:
            raise click.UsageError(f"--map {pair}: the field is one of {', '.join(sorted(FIELDS))}")
        if column not in columns:
            raise click.UsageError(f"--map {pair}: the file has no column {column!r}")
        mapping = {c: n for c, n in mapping.items() if n != name} | {column: name}
    missing = [name for name in REQUIRED if name not in mapping.values()]
    if missing:
        raise click.UsageError(f"no column for {', '.join(missing)}: name it with --map 列名=field")
    return mapping


@imports.command("messages")
@click.option("--input", "path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--map", "pairs", multiple=True, metavar="列名=field",
              help="Repeatable; adds to or overrides the TipDM column names.")  # fmt: skip
@click.option("--type", "default_type", default="suggestion", show_default=True,
              type=click.Choice(sorted(MESSAGE_TYPES)),
              help="For rows without a type column (TipDM exports have none).")  # fmt: skip
@click.option("--batch-size", default=500, show_default=True)
@click.option("--workers", default=os.cpu_count() or 1, show_default="the CPUs",
              help="Processes that score the texts.")  # fmt: skip
def import_messages_command(path, pairs, default_type, batch_size, workers) -> None:
    """Import messages; idempotent by the export's id (留言编号). Ends with what was imported,
    skipped as a duplicate and rejected, row by row, and a JSON line of the counts."""
    rows = rows_of(path, ())
    mapping = _mapping(pairs, set(rows[0]) if rows else set())
    account = import_account()
    with click.progressbar(length=len(rows), label=f"importing {len(rows)} rows") as bar:
        report = import_messages(
            rows,
            mapping,
            default_type,
            account,
            batch_size=batch_size,
            workers=workers,
            progress=bar.update,
        )
    for number, original in report.duplicates:
        click.echo(f"row {number}: duplicate of {original}")
    for number, reason in report.rejected:
        click.echo(f"row {number}: rejected: {reason}")
    click.echo(
        f"{len(rows)} rows: {report.imported} imported, {len(report.duplicates)} duplicates, "
        f"{len(report.rejected)} rejected, {report.repeats} linked as repeats, "
        f"{report.replies_judged} replies judged"
    )
    recount_marked_days()
    summary = {"rows": len(rows), "imported": report.imported,
               "duplicates": len(report.duplicates), "rejected": len(report.rejected),
               "repeats": report.repeats, "replies_judged": report.replies_judged}  # fmt: skip
    click.echo(json.dumps(summary))
