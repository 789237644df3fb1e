"""Per-thread reusable marker arrays, so that a query costs what its postings cost, not a sort."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .corpus import Index


class Scratch(threading.local):
    """Marker arrays sized for the largest index seen; every user leaves them cleared."""

    position: np.ndarray = np.zeros(0, dtype=np.int32)  # row → candidate slot (never cleared)
    sections: np.ndarray = np.zeros(0, dtype=bool)
    sources: np.ndarray = np.zeros(0, dtype=bool)

    def fit(self, index: Index) -> Scratch:
        """Grow the arrays to this index's sizes (cleared arrays stay cleared)."""
        sizes = {"position": index.size, "sections": len(index.section_headings),
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


def distinct(ids: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an id array.

    Not np.unique: in numpy 2 its first call imports numpy.ma (~15 ms of a one-shot answer).
    """
    ids = np.sort(ids)
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))] if len(ids) else ids


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


def summed_in_order(parts: np.ndarray) -> np.ndarray:
    """0 + parts[0] + parts[1] + … along the first axis, added in that order (float64 rows).

    Row by row into zeros, as adding each group's evidence in turn did (a float sum depends on
    its order; np.add.accumulate would keep it too, but is ~3x slower on a few rows).
    """
    total = np.zeros(parts.shape[1:])
    for part in parts:
        total += part
    return total
