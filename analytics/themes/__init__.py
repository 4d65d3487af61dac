"""Themes (问题分类) of citizens' messages: a hierarchical taxonomy, keyword rules that place a
message with no training data at all, and a model trained on a province's labelled history.

The trained model reads a message as its title (twice: titles name the matter) and its text,
with the places in it (regions, compounds, roads, numbers) taken out: they say where, not what,
and a model that learns a compound's name learns nothing for the next one. It counts jieba
words and word pairs and character 1–3-grams that occur in at least two of the messages
(one message's misspelling or name teaches nothing) as plain TF-IDF (not dampened: the title's
double weight is meant to count), plus one feature per first-level branch: how strongly the
taxonomy's keywords point at it. The keywords carry what a few hundred labelled messages cannot
teach (that 幼儿园 is education), which is why they stay in the model after training instead
of being replaced by it. A linear SVM with balanced class weights (a rare theme is not drowned
by 城乡建设), calibrated so that its confidence reads as a probability: below the service's
threshold a message is unclassified and waits for a person.

A model trained on first-level labels never takes a deeper theme away: where the keyword rules
find themes below the predicted one, the message goes to the deepest of them
(``RuleClassifier.refine``), so 停车车位 stays under 交通运输 after training on 一级分类.
"""

# A saved model is a pickle that names its transformers and tokenizer by module: those saved
# before the package was split name them here (``analytics.themes._words`` among them).
from analytics.themes.model import (
    KEYWORD_WEIGHT,
    PIPELINE,
    BranchKeywords,
    Placeless,
    Scores,
    TooFewExamples,
    TrainedClassifier,
    build_pipeline,
    cross_validate,
    placeless,
)
from analytics.themes.model import (
    _words as _words,
)
from analytics.themes.rules import (
    TITLE_WEIGHT,
    KeywordMatcher,
    Placement,
    Refined,
    RuleClassifier,
    message_text,
)
from analytics.themes.taxonomy import DEFAULT_TAXONOMY, Taxonomy, Theme, grow_tree

__all__ = [
    "DEFAULT_TAXONOMY",
    "KEYWORD_WEIGHT",
    "PIPELINE",
    "TITLE_WEIGHT",
    "BranchKeywords",
    "KeywordMatcher",
    "Placeless",
    "Placement",
    "Refined",
    "RuleClassifier",
    "Scores",
    "Taxonomy",
    "Theme",
    "TooFewExamples",
    "TrainedClassifier",
    "build_pipeline",
    "cross_validate",
    "grow_tree",
    "message_text",
    "placeless",
]
