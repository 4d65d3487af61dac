"""Chinese text cut into words, for sentiment, themes, keywords and places alike: jieba's
segmenter, built once per process and dictionary on first use, and the dictionary the shipped
Bayes sentiment model was built with, which they all read (one dictionary in memory)."""

from __future__ import annotations

import logging
import os
import re
from functools import cache
from pathlib import Path

from analytics.package_data import import_jieba

MODELS_DIR = Path(__file__).with_name("models")
#: The file of a model folder that holds its jieba dictionary.
DICTIONARY_FILE = "jieba.dict"
#: The shipped dictionary (beside the ``bayes`` sentiment engine's classifier).
SHIPPED_DICTIONARY = MODELS_DIR / "jieba-bayes" / DICTIONARY_FILE
#: What makes a token a word: a Chinese character, or two Latin letters.
WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")


@cache
def segmenter(dictionary: Path | None = SHIPPED_DICTIONARY):
    """A jieba tokenizer with ``dictionary`` (None: jieba's own), built once per process and
    dictionary, on first use: a dictionary costs time and memory."""
    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    if dictionary is None:
        jieba.initialize()
        return jieba.dt
    tokenizer = jieba.Tokenizer(str(dictionary))
    # Its cache where JIEBA_CACHE_DIR says (the image builds it in), else the temp folder.
    tokenizer.tmp_dir = os.environ.get("JIEBA_CACHE_DIR") or None
    tokenizer.initialize()
    return tokenizer
