"""``flask --app wsgi themes train|evaluate``: the theme model from a labelled history file
(xlsx or csv), e.g. a 12345 export with 留言主题, 留言详情 and 一级标签."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from analytics.themes import (
    Scores,
    Taxonomy,
    TooFewExamples,
    TrainedClassifier,
    cross_validate,
    grow_tree,
    message_text,
)
from service import store
from service.commands.files import labelled_file_options, rows_of
from service.scoring import themes as theme_service

themes = AppGroup("themes", help="Train and evaluate the theme model; load a category tree.")

_with_file_options = labelled_file_options(
    "Repeatable; the first is the title (it weighs double).", "Theme names (or codes) per row."
)


def _labelled(
    path: Path,
    text_columns: tuple[str, ...],
    label_column: str,
    taxonomy: Taxonomy,
    header: bool = True,
):
    """Texts and theme codes of the file's rows; rows without text or label are skipped and
    counted; a label that names no theme stops everything (add the theme first)."""
    rows = rows_of(path, (*text_columns, label_column), header=header)
    texts, labels, unknown, skipped = [], [], set(), 0
    for row in rows:
        label = str(row.get(label_column) or "").strip()
        parts = [str(row.get(column) or "") for column in text_columns]
        if not label or not "".join(parts).strip():
            skipped += 1
            continue
        theme = taxonomy.get(label) or taxonomy.by_name(label)
        if theme is None:
            unknown.add(label)
            continue
        texts.append(message_text(parts[0], " ".join(parts[1:])))
        labels.append(theme.code)
    if unknown:
        raise click.UsageError(f"labels that name no theme: {', '.join(sorted(unknown))}")
    if skipped:
        click.echo(f"skipped {skipped} rows without text or label")
    return texts, labels


def _print_scores(scores: Scores, taxonomy: Taxonomy) -> None:
    click.echo(f"accuracy {scores.accuracy:.4f}   macro-F1 {scores.macro_f1:.4f}   n {scores.n}")
    click.echo(f"{'theme':<16}{'precision':>10}{'recall':>10}{'F1':>10}{'n':>7}")
    for code, row in scores.per_class.items():
        theme = taxonomy.get(code)
        click.echo(
            f"{theme.name if theme else code:<16}{row['precision']:>10.3f}"
            f"{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>7}"
        )


@themes.command("train")
@_with_file_options
@click.option("--folds", default=5, show_default=True, help="For the cross-validated scores.")
@click.option(
    "--corrections/--no-corrections",
    default=True,
    show_default=True,
    help="Add the themes staff set by hand on stored messages.",
)
def train(path, text_columns, label_column, header, folds, corrections) -> None:
    """Train a theme model, print its cross-validated scores, store it under MODEL_DIR and
    make it the active one."""
    taxonomy = store.taxonomy.fetch_taxonomy()
    texts, labels = _labelled(path, text_columns, label_column, taxonomy, header)
    if corrections:
        added = store.themes.fetch_corrections(taxonomy, set(labels))
        texts += [text for text, _ in added]
        labels += [label for _, label in added]
        click.echo(f"added {len(added)} staff corrections")
    if len(set(labels)) < 2:
        raise click.UsageError("training needs at least two themes among the labels")
    click.echo(f"cross-validating on {len(texts)} messages ({folds} folds)…")
    try:
        scores = cross_validate(taxonomy, texts, labels, folds)
        _print_scores(scores, taxonomy)
        model = TrainedClassifier.train(taxonomy, texts, labels)
    except TooFewExamples as error:
        raise click.UsageError(str(error)) from error
    folder = theme_service.activate(model)
    click.echo(f"model {model.version} stored in {folder} and active")
    click.echo(json.dumps({**scores.summary(), "version": model.version}))


@themes.command("load")
@click.option("--input", "path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--level-column",
    "level_columns",
    multiple=True,
    default=("一级分类", "二级分类", "三级分类"),
    show_default=True,
    help="Repeatable, first level first.",
)
def load(path, level_columns) -> None:
    """Add a platform's category tree (one row per path: 一级分类, 二级分类, 三级分类) to the
    taxonomy; themes already there, by name under the same parent, are kept as they are."""
    rows = rows_of(path, tuple(level_columns))
    taxonomy = store.taxonomy.fetch_taxonomy()
    new = grow_tree(taxonomy, ([row.get(column) for column in level_columns] for row in rows))
    added = store.themes.add_themes(new)
    click.echo(f"{len(rows)} paths read, {added} themes added")


@themes.command("evaluate")
@_with_file_options
def evaluate(path, text_columns, label_column, header) -> None:
    """Score the active model (or the rules, if none was trained) on a labelled file, at each
    level of the taxonomy the labels reach (a deeper answer counts as its ancestor there);
    the last line is {"accuracy", "macro_f1", "n", "levels": {level: macro_f1}}, its first
    three at the labels' own depth."""
    taxonomy = store.taxonomy.fetch_taxonomy()
    texts, labels = _labelled(path, text_columns, label_column, taxonomy, header)
    classifier = theme_service.classifier()
    placed: list[str | None] = []
    with click.progressbar(length=len(texts), label="classifying") as bar:
        for start in range(0, len(texts), 256):
            batch = texts[start : start + 256]
            placed += [p.code for p in classifier.classify_many([(None, t) for t in batch])]
            bar.update(len(batch))
    click.echo(f"model {classifier.version}")
    truths = [taxonomy.path(label) for label in labels]
    answers = [taxonomy.path(code) if code else [] for code in placed]

    def at(path: list, level: int) -> str:
        return path[level - 1].code if len(path) >= level else "-"

    levels = {}
    for level in range(1, max(len(truth) for truth in truths) + 1):
        pairs = [(at(t, level), at(a, level)) for t, a in zip(truths, answers, strict=True)
                 if len(t) >= level]  # fmt: skip
        scores = Scores.of([t for t, _ in pairs], [a for _, a in pairs])
        levels[level] = round(scores.macro_f1, 4)
        click.echo(f"level {level}:")
        _print_scores(scores, taxonomy)
    overall = Scores.of(
        labels, [at(a, len(t)) for t, a in zip(truths, answers, strict=True)]
    )
    if len(levels) > 1:
        click.echo("at each label's own level:")
        _print_scores(overall, taxonomy)
    click.echo(json.dumps({**overall.summary(), "levels": levels}))
