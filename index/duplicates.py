"""Near-duplicate passages: the same fact restated, shown once with the other sources named."""

from __future__ import annotations

import numpy as np

from .corpus import Index

Terms = dict[int, float]  # a sentence's distinct term ids and their idf


def content_terms(index: Index, row: int) -> Terms:
    """A sentence's distinct index terms with their idf (rare terms are what a fact is)."""
    ids = index.term_ids(row, row + 1)
    idf = np.maximum(index.postings.idf[ids], 0.0)
    return dict(zip(ids.tolist(), idf.tolist(), strict=True))  # a repeated term: one key


def same_fact(a: Terms, b: Terms, overlap: float) -> bool:
    """Whether two sentences state one fact: the idf they share is this share of the smaller's.

    Restatements share the rare words (a figure, a name, "peacetime") and differ in the common
    ones, so shared idf, not a count of shared words, is what says "the same fact".
    """
    if not a or not b or not overlap:
        return False
    shared = sum(w for t, w in a.items() if t in b)
    smaller = min(sum(a.values()), sum(b.values()))
    return smaller > 0 and shared / smaller >= overlap
