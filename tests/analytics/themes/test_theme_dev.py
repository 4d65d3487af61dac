"""The theme model's recipe against real labelled messages: cross-validated on the organisers'
sample and our own labels together, and trained on the sample alone, scored on ours (a
province that trains on a few hundred messages and places thousands)."""

import pytest
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from analytics.themes import Taxonomy, TrainedClassifier, build_pipeline, message_text
from analytics.themes import dev as theme_dev
from tests.support import SHARED_DATA, shared_data

#: Measured 0.864 and 0.741 (BENCHMARKS.md; the recipe before: 0.822 and 0.686). A constant
#: answer scores under 0.1 on both.
CROSS_VALIDATED, TRAINED_ON_THE_SAMPLE = 0.84, 0.71


@pytest.fixture(scope="module")
def labelled():
    shared_data(str(theme_dev.SAMPLE))
    taxonomy = Taxonomy.default()
    sample, ours = theme_dev.sample(SHARED_DATA), theme_dev.ours(SHARED_DATA)

    def coded(items):
        texts = [message_text(item.title, item.content) for item in items]
        return texts, [taxonomy.by_name(item.label).code for item in items]

    return taxonomy, coded(sample), coded(ours)


def test_our_labels_are_keyed_by_message_and_name_first_level_themes(labelled):
    taxonomy, (_, sample_labels), (texts, labels) = labelled
    assert len(texts) >= 800 and set(labels) == set(sample_labels)
    assert all(taxonomy.get(code).parent_code is None for code in labels)


def test_the_recipe_cross_validated_on_all_labelled_messages(labelled):
    taxonomy, (sample_texts, sample_labels), (texts, labels) = labelled
    every_text, every_label = sample_texts + texts, sample_labels + labels
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    predicted = cross_val_predict(build_pipeline(taxonomy), every_text, every_label, cv=folds)
    assert f1_score(every_label, predicted, average="macro") >= CROSS_VALIDATED


def test_a_model_trained_on_the_sample_alone_places_other_messages(labelled):
    taxonomy, (sample_texts, sample_labels), (texts, labels) = labelled
    model = TrainedClassifier.train(taxonomy, sample_texts, sample_labels)
    predicted = [placement.code for placement in model.classify_texts(texts)]
    assert f1_score(labels, predicted, average="macro") >= TRAINED_ON_THE_SAMPLE
