"""Reply quality on our development set (analytics/data/replies/), cross-validated: in each of
5 folds the flags' thresholds are chosen on the other four and measured on the fold held
back. Targets: the score separates good from poor replies with AUC >= 0.85, boilerplate flags
are right 90% of the time, evasion flags 80%."""

import pytest

from analytics.replies import Thresholds, dev
from tests.support import shared_data


@pytest.fixture(scope="module")
def judged():
    return dev.load(shared_data("teddy2020/附件4.xlsx").parents[1])


def test_the_set_was_read_twice_and_keeps_over_300_agreed_judgements():
    labels = dev.labels()
    agreed = [row for row in labels.values() if row["quality"] != "-"]
    assert len(labels) == 440 and len(agreed) >= 300
    assert {row["quality"] for row in agreed} == {"good", "acceptable", "poor"}


def test_on_held_back_folds_the_score_separates_good_from_poor_and_the_flags_are_right(judged):
    figures = dev.cross_validated(judged)
    assert figures["auc"] >= 0.85
    assert figures["boilerplate_precision"] >= 0.90 and figures["boilerplate_recall"] >= 0.6
    assert figures["evasion_precision"] >= 0.80 and figures["evasion_recall"] >= 0.25
    assert figures["no_result_precision"] >= 0.80


def test_the_shipped_thresholds_are_those_chosen_on_the_whole_set(judged):
    assert dev.choose(judged) == Thresholds()
