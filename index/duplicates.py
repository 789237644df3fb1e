"""Near-duplicate passages: the same fact restated, shown once with the other sources named."""

from __future__ import annotations

from .corpus import Index
from .tokens import spans

Terms = dict[str, float]  # a sentence's distinct terms and their idf


def content_terms(index: Index, sentence: str) -> Terms:
    """A sentence's distinct index terms with their idf (rare terms are what a fact is)."""
    p = index.postings
    terms = {t for _, _, ts in spans(sentence) for t in ts}  # spans: kept for shown sentences
    known = [t for t in terms if t in p.vocab]
    idf = p.idf[[p.vocab[t] for t in known]].tolist()  # one look-up for all of them
    return {t: max(w, 0.0) for t, w in zip(known, idf, strict=True)}


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
