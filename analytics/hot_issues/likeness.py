"""How alike two messages read: their character n-grams as integers, TF-IDF rows over them,
and the pairs close enough in words and in time to be linked. numpy and scipy throughout: a
province's month of messages is compared in seconds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from analytics.hot_issues import Doc, Rules

#: A gram in more than this share of the messages searched is too common to tell matters apart.
MOST_SHARE = 0.01


def gram_ids(title: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The character 2- and 3-grams of a message as integers (21 bits a character), none
    across punctuation or spaces and none of digits alone (a phone or ID number in two
    messages says nothing of their matter), with their weights: 2 in the title, 1 in the
    text. numpy does in microseconds what strings would take a millisecond."""
    joined = f"{title}\n{text}"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lower = codes | 32
    word = (
        ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 48) & (codes <= 57))
        | ((lower >= 97) & (lower <= 122))
    )
    digit = (codes >= 48) & (codes <= 57)
    codes = np.where(word, codes, 0)
    first, second, third = codes[:-2], codes[1:-1], codes[2:]
    pairs = (codes[:-1] << 21) | codes[1:]
    triples = (first << 42) | (second << 21) | third
    is_pair = (codes[:-1] > 0) & (codes[1:] > 0) & ~(digit[:-1] & digit[1:])
    is_triple = (first > 0) & (second > 0) & (third > 0) & ~(digit[:-2] & digit[1:-1] & digit[2:])
    weights = np.ones(len(codes), dtype=np.float32)
    weights[: len(title)] = 2  # a gram starting in the title lies in it: the \n ends it
    return (
        np.concatenate((pairs[is_pair], triples[is_triple])),
        np.concatenate((weights[:-1][is_pair], weights[:-2][is_triple])),
    )


def vectors_of(grams: list[tuple[np.ndarray, np.ndarray]]):
    """Unit-length TF-IDF rows over the messages' character n-grams (``gram_ids``, at least
    one gram among them), the title counting twice; grams in too many messages to tell
    matters apart are left out. A gram of one message only stays: it adds to what sets that
    message apart, so two messages alike in a few words only are not taken for one matter."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    lengths = np.fromiter((len(ids) for ids, _ in grams), dtype=np.int64, count=len(grams))
    vocabulary, columns = np.unique(np.concatenate([ids for ids, _ in grams]), return_inverse=True)
    weights = np.concatenate([w for _, w in grams])
    rows = np.repeat(np.arange(len(grams)), lengths)
    counts = csr_matrix((weights, (rows, columns)), shape=(len(grams), len(vocabulary)))
    counts.sum_duplicates()
    used_by = np.bincount(counts.indices, minlength=counts.shape[1])
    # A gram in most messages (问题, 小区) says nothing of which matter; in small sets the
    # IDF weighting does that alone.
    most = min(1.0, max(MOST_SHARE, 20 / len(grams))) * len(grams)
    counts.data *= (used_by <= most)[counts.indices]
    counts.eliminate_zeros()
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32).tocsr()


def close_pairs(vectors, docs: list[Doc], rules: Rules, chunk: int = 1000) -> Iterable:
    """(i, j, similarity) for i < j at least ``rules.same_place`` similar and sent at most
    ``rules.link_days`` apart, most similar first; found in row chunks, so that the product
    never holds more than a chunk's rows at once."""
    seconds = np.array([doc.at.timestamp() for doc in docs])
    reach = rules.link_days * 86400
    transposed = vectors.T.tocsr()  # once: a product with a transposed slice converts it
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for first in range(0, len(docs), chunk):
        last = min(first + chunk, len(docs))
        block = vectors[first:last] @ transposed
        block.data[block.data < rules.same_place] = 0
        block.eliminate_zeros()
        block = block.tocoo()
        rows, cols, values = block.row + first, block.col, block.data
        keep = (cols > rows) & (np.abs(seconds[cols] - seconds[rows]) <= reach)
        found.append((rows[keep], cols[keep], values[keep]))
    if not found:
        return iter(())
    rows, cols, values = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.argsort(-values, kind="stable")
    return zip(rows[order].tolist(), cols[order].tolist(), values[order].tolist(), strict=True)
