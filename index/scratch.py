"""Per-thread reusable marker arrays, so that a query costs what its postings cost, not a sort."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from .corpus import Index

# Below this share of all rows, sorting the postings beats scanning a marker array.
SORT_FRACTION = 1 / 32


class Scratch(threading.local):
    """Marker arrays sized for the largest index seen; every user leaves them cleared."""

    rows: np.ndarray = np.zeros(0, dtype=bool)
    position: np.ndarray = np.zeros(0, dtype=np.int64)
    paragraphs: np.ndarray = np.zeros(0, dtype=bool)
    sections: np.ndarray = np.zeros(0, dtype=bool)
    sources: np.ndarray = np.zeros(0, dtype=bool)

    def fit(self, index: Index) -> Scratch:
        """Grow the arrays to this index's sizes (cleared arrays stay cleared)."""
        sizes = {"rows": index.size, "position": index.size,
                 "paragraphs": len(index.para_number), "sections": len(index.section_headings),
                 "sources": len(index.sources)}
        for name, size in sizes.items():
            current = getattr(self, name)
            if len(current) < size:
                setattr(self, name, np.zeros(max(size, 2 * len(current)), dtype=current.dtype))
        return self


_SCRATCH = Scratch()


def scratch(index: Index) -> Scratch:
    """The calling thread's scratch arrays, fitted to the index."""
    return _SCRATCH.fit(index)


def union(arrays: Sequence[np.ndarray], marks: np.ndarray, n: int) -> np.ndarray:
    """The sorted distinct values of several id arrays (all below n)."""
    if not arrays:
        return np.zeros(0, dtype=np.int64)
    total = sum(len(a) for a in arrays)
    if total < n * SORT_FRACTION:
        return np.unique(np.concatenate(arrays))
    try:
        for a in arrays:
            marks[a] = True
        found = np.flatnonzero(marks[:n])
    except BaseException:
        marks[:] = False  # a bad id may have left marks: later queries on this thread need none
        raise
    marks[found] = False
    return found


def present(ids: np.ndarray, marks: np.ndarray, lookup: np.ndarray) -> np.ndarray:
    """For each value in `lookup`, whether it occurs in `ids` (marks are left cleared)."""
    try:
        marks[ids] = True
        found = marks[lookup]
    except BaseException:
        marks[:] = False  # a bad id may have left marks: later queries on this thread need none
        raise
    marks[ids] = False
    return found
