"""Models benchmark: ``make bench-models`` (or ``.venv/bin/python bench/models.py``).

Prints, in one run:
- sentiment texts/s of this project's model against plain ``SnowNLP(t).sentiments`` on short
  (reviews of at most 20 characters), medium (real citizen messages clipped to 90) and long
  texts (the messages whole), each engine in its own fresh process (bench/intake.py's);
- theme classification texts/s, by the rules and by a model trained on the 495 sample;
- import messages/s: 附件4.xlsx (2,816 real messages) into a fresh PostgreSQL database through
  ``import_messages``, with one scoring process and with one per CPU;
- accuracy: themes on the 495 labelled messages (the rules; the model in 5-fold
  cross-validation); sentiment in three classes on the development set
  (``analytics.sentiment.dev``) in 5-fold cross-validation, by engine and recipe, against
  plain SnowNLP and a constant; negative against not on ChnSentiCorp's dev set (which the
  shipped model did not learn from; SnowNLP's own training text holds most of it: read that
  row with care), and trained 80/20 on short reviews for both engines.

Needs ../shared/data. Settings: BENCH_DATABASE_URL (a database it may drop and re-create,
default postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_models).
"""

from __future__ import annotations

import csv
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.tables import read_rows  # noqa: E402
from bench.databases import fresh_database  # noqa: E402
from bench.intake import sentiment_rate  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_models"
)


def shopping_reviews(longest: int) -> list[tuple[str, int]]:
    path = DATA / "sentiment" / "online_shopping_10_cats.csv"
    with path.open(encoding="utf-8-sig") as handle:
        rows = [(r["review"], int(r["label"])) for r in csv.DictReader(handle) if r["review"]]
    rows = [row for row in rows if len(row[0]) <= longest]
    random.Random(0).shuffle(rows)
    return rows


def chnsenticorp_dev() -> list[tuple[str, int]]:
    lines = (DATA / "sentiment" / "chnsenticorp_dev.tsv").read_text("utf-8").splitlines()
    pairs = (line.rsplit("\t", 1) for line in lines if "\t" in line)
    return [(text, int(label == "positive")) for text, label in pairs]


def citizen_messages() -> list[dict]:
    return list(read_rows(DATA / "teddy2020" / "附件4.xlsx"))


def line(name: str, value: str) -> None:
    print(f"{name:<66}{value}")


def two(*figures: float) -> str:
    return "  ".join(f"{figure:.3f}" for figure in figures)


def sentiment_speed(messages: list[dict]) -> None:
    print("\n## Sentiment, texts/s (fresh process each, after loading)")
    whole = [f"{m['留言主题']}。{m['留言详情']}" for m in messages]
    sets = {
        "short (reviews of at most 20 characters)": [t for t, _ in shopping_reviews(20)[:300]],
        "medium (messages clipped to 90 characters)": [t[:90] for t in whole[:300]],
        "long (messages whole)": whole[:150],
    }
    for name, texts in sets.items():
        average = sum(map(len, texts)) / len(texts)
        ours = sentiment_rate("minsheng", texts, passes=5)["per_second"]
        plain = sentiment_rate("snownlp", texts, passes=1)["per_second"]
        line(
            f"{name}, mean {average:.0f} chars",
            f"ours {ours:8.0f}   SnowNLP {plain:6.1f}   {ours / plain:5.1f}x",
        )


def themes(messages: list[dict]) -> None:
    from analytics.themes import (
        RuleClassifier,
        Scores,
        Taxonomy,
        TrainedClassifier,
        cross_validate,
        message_text,
    )

    taxonomy = Taxonomy.default()
    sample = list(read_rows(DATA / "teddy2020" / "附件2_sample495.xlsx"))
    texts = [message_text(r["留言主题"], r["留言详情"]) for r in sample]
    labels = [taxonomy.by_name(r["一级分类"]).code for r in sample]
    rules = RuleClassifier(taxonomy)
    model = TrainedClassifier.train(taxonomy, texts, labels)
    print("\n## Themes")
    pairs = [(m["留言主题"], m["留言详情"]) for m in messages]
    for name, classifier in (("rules", rules), ("model trained on the 495", model)):
        started = time.perf_counter()
        for title, content in pairs:
            classifier.classify(title, content)
        one = len(pairs) / (time.perf_counter() - started)
        started = time.perf_counter()
        classifier.classify_many(pairs)
        many = len(pairs) / (time.perf_counter() - started)
        line(f"{name}: texts/s one at a time, in one call", f"{one:8.0f} {many:8.0f}")
    placed = [rules.classify(None, text).code for text in texts]
    first = [taxonomy.branch_of(code) if code else "-" for code in placed]
    scores = Scores.of(labels, first)
    line("rules on the 495 sample: accuracy, macro-F1", two(scores.accuracy, scores.macro_f1))
    scores = cross_validate(taxonomy, texts, labels, folds=5)
    line(
        "model, 5-fold CV on the 495 sample: accuracy, macro-F1",
        two(scores.accuracy, scores.macro_f1),
    )
    return model


def _report(name: str, truth: list[str], predicted: list[str]) -> None:
    from analytics.sentiment.training import SentimentScores

    s = SentimentScores.of(truth, predicted)
    neutral = "  ".join(
        "-" if figure is None else f"{figure:.3f}"
        for figure in (s.precision.get("neutral"), s.recall.get("neutral"))
    )
    line(
        name,
        f"{s.accuracy:.3f}   neutral P/R {neutral}   "
        f"negative share {s.negative_share:.3f} (true {s.true_negative_share:.3f})",
    )


def _binary(truth: list[int], predicted: list[str]) -> float:
    """Accuracy of negative against not, as a review corpus (1 positive, 0 negative) labels."""
    pairs = zip(truth, predicted, strict=True)
    return sum((label == 0) == (p == "negative") for label, p in pairs) / len(truth)


def sentiment_accuracy() -> None:
    from snownlp import SnowNLP

    from analytics.sentiment import dev as sentiment_dev
    from analytics.sentiment import label_for, load_model
    from analytics.sentiment.build import review_corpora, training_set
    from analytics.sentiment.training import cross_validate, predict, train

    print("\n## Sentiment on the development set, 5-fold cross-validation")
    print("(accuracy, neutral precision and recall, negative share predicted and true)")
    items = sentiment_dev.load(DATA)
    reviews = review_corpora(DATA)
    texts, labels = [i.text for i in items], [i.label for i in items]

    def shipped_recipe(indices: list[int]):
        return train("ngrams", *training_set([items[i] for i in indices], reviews))

    def alone(engine: str):
        return lambda indices: train(engine, [texts[i] for i in indices],
                                     [labels[i] for i in indices])  # fmt: skip

    plain = [label_for(SnowNLP(t).sentiments) if t.strip() else "none" for t in texts]
    runs = {
        "always negative": ["negative"] * len(texts),
        "plain SnowNLP, neutral band 0.4-0.6": plain,
        "bayes (SnowNLP's classifier, jieba) on the set alone": cross_validate(
            texts, labels, alone("bayes")
        ),
        "ngrams on the set alone": cross_validate(texts, labels, alone("ngrams")),
        "ngrams on the set and the review corpora (shipped)": cross_validate(
            texts, labels, shipped_recipe
        ),
    }
    for source in ("messages", "comments", "reviews"):
        at = [i for i, item in enumerate(items) if item.source == source]
        print(f"{source} ({len(at)}):")
        for name, predicted in runs.items():
            _report(f"  {name}", [labels[i] for i in at], [predicted[i] for i in at])

    print("\n## Sentiment on review corpora, negative against not")
    shipped = load_model()
    dev = chnsenticorp_dev()
    truth = [label for _, label in dev]
    plain = [label_for(SnowNLP(t).sentiments) for t, _ in dev]
    line("zero-shot, ChnSentiCorp dev (1,200; not trained on), shipped",
         f"{_binary(truth, predict(shipped, [t for t, _ in dev])):.3f}")  # fmt: skip
    line("zero-shot, ChnSentiCorp dev, plain SnowNLP", f"{_binary(truth, plain):.3f}")
    pool = shopping_reviews(60)[2000:12000]
    cut = int(len(pool) * 0.8)
    named = {0: "negative", 1: "positive"}
    for engine in ("ngrams", "bayes"):
        model = train(engine, [t for t, _ in pool[:cut]], [named[n] for _, n in pool[:cut]])
        held = pool[cut:]
        accuracy = _binary([n for _, n in held], predict(model, [t for t, _ in held]))
        line(f"trained 80/20 on 10,000 short shopping reviews, {engine}", f"{accuracy:.3f}")


def import_speed(messages: list[dict], theme_model) -> None:
    from service import create_app
    from service.intake.history_import import DEFAULT_MAP, import_account, import_messages
    from service.scoring.themes import activate

    print("\n## Import of history (附件4.xlsx into PostgreSQL)")
    mapping = {column: name for column, name in DEFAULT_MAP.items() if column in messages[0]}
    cpus = os.cpu_count() or 1
    for workers, themes_by in ((1, "rules"), (cpus, "rules"), (cpus, "trained model")):
        fresh_database(DATABASE_URL)
        with tempfile.TemporaryDirectory() as models:
            app = create_app({"SQLALCHEMY_DATABASE_URI": DATABASE_URL, "MODEL_DIR": models})
            with app.app_context():
                if themes_by == "trained model":
                    activate(theme_model)
                account = import_account()
                started = time.perf_counter()
                report = import_messages(messages, mapping, "suggestion", account, workers=workers)
                elapsed = time.perf_counter() - started
        assert report.imported == len(messages), report
        rate = len(messages) / elapsed
        name = f"{len(messages)} messages, {workers} scoring process(es), themes by {themes_by}"
        line(f"{name}: messages/s", f"{rate:8.0f}")


def main() -> None:
    print(
        f"# models benchmark, {date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    messages = citizen_messages()
    sentiment_speed(messages)
    theme_model = themes(messages)
    import_speed(messages, theme_model)
    sentiment_accuracy()


if __name__ == "__main__":
    main()
