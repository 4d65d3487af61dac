"""Sentiment that learns the province's language: train on a labelled file or on the stored
rating comments, evaluate on a labelled file, and score new texts with the model trained."""

import csv
import json

import pytest

from tests.support import message_body, rating_body, shared_data

COLUMNS = ["--text-column", "评价", "--label-column", "标签"]


@pytest.fixture
def reviews(tmp_path):
    """600 short real reviews to train on and 200 to test on, as csv files."""
    source = shared_data("sentiment/online_shopping_10_cats.csv")
    with source.open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["review"] and len(r["review"]) <= 60]
    rows = rows[::40][:800]  # every 40th: all ten categories, both labels

    def write(name, part):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["评价", "标签"])
            writer.writerows([r["review"], r["label"]] for r in part)
        return str(path)

    return write("train.csv", rows[:600]), write("test.csv", rows[600:])


def last_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


@pytest.mark.parametrize("engine", ["ngrams", "bayes"])
def test_a_model_trained_on_a_file_scores_every_new_text(runner, api, reviews, engine):
    train, test = reviews
    shipped = last_json(runner.invoke(args=["sentiment", "evaluate", "--input", test, *COLUMNS]))
    assert shipped["n"] == 200 and {"accuracy", "precision", "recall", "confusion"} <= set(shipped)
    assert set(shipped["recall"]) == {"negative", "positive"}
    args = ["sentiment", "train", "--input", train, *COLUMNS, "--engine", engine]
    trained = last_json(runner.invoke(args=args))
    assert trained["version"].startswith(f"{engine}@") and trained["accuracy"] > 0.7
    scores = last_json(runner.invoke(args=["sentiment", "evaluate", "--input", test, *COLUMNS]))
    # two classes: texts in the neutral band count as wrong against a binary file
    assert scores["accuracy"] > 0.6 and "negative_share_error" in scores
    rating = api.post("/api/v1/ratings", json=rating_body(comment="态度很差")).get_json()
    assert rating["sentiment"]["model_version"] == trained["version"]
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    assert message["sentiment"]["model_version"] == trained["version"]


def test_the_platforms_own_rated_comments_train_a_model(runner, api):
    comments = {
        1: "等了三个小时，态度很差",
        2: "办事拖拉，推诿扯皮",
        4: "办理很快，很方便",
        5: "工作人员热情耐心",
    }
    for stars, comment in comments.items():
        api.post("/api/v1/ratings", json=rating_body(stars=stars, comment=comment))
    too_few = runner.invoke(args=["sentiment", "train", "--from-ratings", "--min-count", "3"])
    assert too_few.exit_code == 2 and "fewer than --min-count 3" in too_few.output
    args = ["sentiment", "train", "--from-ratings", "--min-count", "2", "--holdout", "0"]
    trained = last_json(runner.invoke(args=args))
    assert trained["n"] == 4 and trained["version"].startswith("ngrams@")


def test_a_label_that_is_no_sentiment_is_refused_with_its_row(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("评价,标签\n很好,1\n很差,maybe\n", "utf-8")
    result = runner.invoke(args=["sentiment", "train", "--input", str(path), *COLUMNS])
    assert result.exit_code == 2 and "data row 2" in result.output and "maybe" in result.output


def test_three_stars_are_left_out(runner, tmp_path):
    path = tmp_path / "stars.csv"
    rows = ["很好,5", "很差,1", "还行,3"] * 4
    path.write_text("评价,标签\n" + "\n".join(rows) + "\n", "utf-8")
    args = ["sentiment", "train", "--input", str(path), *COLUMNS, "--holdout", "0"]
    result = runner.invoke(args=args)
    assert "left out 4 texts labelled 3 stars" in result.output
    assert last_json(result)["n"] == 8


def test_a_tab_separated_file_without_a_header_is_read_by_column_number(runner, tmp_path):
    """As ChnSentiCorp comes: text, tab, label, no header row, quotes that are only text."""
    path = tmp_path / "dev.tsv"
    rows = ['房间干净，服务"很好"，下次还来\tpositive', '脏乱差，"五星"是假的\tnegative'] * 3
    path.write_text("\n".join(rows) + "\n", "utf-8")
    args = ["sentiment", "evaluate", "--input", str(path), "--no-header"]
    scores = last_json(runner.invoke(args=[*args, "--text-column", "1", "--label-column", "2"]))
    assert scores["n"] == 6
    named = runner.invoke(args=[*args, "--text-column", "text", "--label-column", "label"])
    assert named.exit_code == 2 and "dev.tsv: no column text, label (it has 1, 2)" in named.output


def test_a_tab_separated_file_with_a_header_is_read_by_its_names(runner, tmp_path):
    path = tmp_path / "dev.tsv"
    path.write_text("评价\t标签\n很好\t1\n很差\t0\n", "utf-8")
    args = ["sentiment", "evaluate", "--input", str(path), *COLUMNS]
    assert last_json(runner.invoke(args=args))["n"] == 2
