"""Where a query's term groups are around candidate rows: one binary search per term.

The second stage asks of each candidate (index/search.py) and each question group: the group's
count and BM25 in the sentence, in the sentences just before and after it (index/window.py),
and whether its paragraph and its section hold the group. All of it follows from where the
candidate's row falls in a term's postings (ascending, distinct rows): with `at` the first
posting at or after the row,
- the row holds the term when posting `at` is the row;
- the row before holds it when posting `at - 1` is that row;
- the row after holds it when the first posting past the row (`at`, or `at + 1` when the row
  holds the term) is that row;
- a run of rows around the row (its paragraph, its section) holds it when posting `at` comes
  before the run's end or posting `at - 1` at or after its start: every posting before the row
  is at most posting `at - 1`, every other one at least posting `at`.
Every term of the query is worked out at once, as [terms, rows] arrays (a few hundred rows: the
cost is numpy's per-call overhead, so one call for all terms, not one per term and group).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .corpus import Index
from .evidence import Columns


@dataclass(frozen=True)
class GroupsAround:
    """Each group (first axis) around each candidate: the candidate, then the row before, after.

    `tf` and `held` have 3 × rows columns: the candidates, the rows just before them, the rows
    just after them (a neighbour past either end of the index is never held).
    """

    tf: np.ndarray  # float [groups, 3 × rows]: the group's (discounted) term count
    held: np.ndarray  # bool [groups, 3 × rows]: a term of the group is there (its count may be 0)
    in_para: np.ndarray  # bool [groups, rows]: the candidate's paragraph holds the group
    in_section: np.ndarray  # bool [groups, rows]

    def bm25(self, idf: np.ndarray, k1: float, norm: np.ndarray) -> np.ndarray:
        """Each group's BM25 as one term (0 where not held): exactly rank-bm25's for one term.

        `idf`: each group's idf; `norm`: the length normalisation of the 3 × rows rows.
        """
        with np.errstate(divide="ignore", invalid="ignore"):  # only where not held (tf 0)
            scores = idf[:, None] * (self.tf * (k1 + 1) / (self.tf + norm))
        return np.where(self.held, scores, 0.0)


class Around:
    """Candidate rows (ascending) with the bounds of their paragraphs and sections."""

    def __init__(self, index: Index, rows: np.ndarray) -> None:
        """Look up each row's paragraph and section bounds and the rows' length norms."""
        para, section = index.sent_para[rows], index.sent_section[rows]
        self.rows, self.section_of = rows, section
        # In the postings' id type: a search with wider keys would copy the postings first.
        self.keys = rows.astype(index.postings.ids.dtype)
        self.para = (index.para_first[para], index.para_first[para + 1])
        self.section = (index.section_first[section], index.section_first[section + 1])
        # The rows, the rows before, the rows after: a neighbour past either end is never held
        # (no posting is -1 or index.size), so any row's norm stands in for it.
        self.norm = index.postings.row_norm[np.concatenate(
            [rows, np.maximum(rows - 1, 0), np.minimum(rows + 1, index.size - 1)])]

    def groups(self, cols: list[Columns]) -> GroupsAround:
        """Where each group's terms are around the candidates (the module's docstring)."""
        terms = [(g, *term) for g, group_cols in enumerate(cols) for term in group_cols]
        n = len(self.keys)
        if not terms:
            return GroupsAround(tf=np.zeros((len(cols), 3 * n)),
                                held=np.zeros((len(cols), 3 * n), dtype=bool),
                                in_para=np.zeros((len(cols), n), dtype=bool),
                                in_section=np.zeros((len(cols), n), dtype=bool))
        at = np.stack([ids.searchsorted(self.keys) for _, ids, _, _ in terms])
        found = _Found(at, [ids for _, ids, _, _ in terms], self.keys)
        # factor × count where found, else 0: added term by term as 0 + x (= x) and so on.
        factor = np.array([factor for _, _, _, factor in terms])[:, None]
        counts = np.concatenate([counts for _, _, counts, _ in terms])
        spots = np.concatenate([found.here, found.previous, found.following], axis=1)
        held = np.concatenate([found.own, found.before, found.after], axis=1)
        tf = np.where(held, factor * counts[spots], 0.0)
        flags = np.concatenate([held, found.within(self.para), found.within(self.section)],
                               axis=1)
        owner = [g for g, *_ in terms]
        tf, flags = _by_group(tf, owner, len(cols), np.add), _by_group(flags, owner, len(cols),
                                                                         np.logical_or)
        return GroupsAround(tf=tf, held=flags[:, :3 * n], in_para=flags[:, 3 * n:4 * n],
                            in_section=flags[:, 4 * n:])


class _Found:
    """Where each candidate row falls in each term's postings (the terms' postings joined)."""

    def __init__(self, at: np.ndarray, postings: list[np.ndarray], keys: np.ndarray) -> None:
        lengths = np.array([len(ids) for ids in postings])[:, None]
        first = np.cumsum(lengths, axis=0) - lengths  # each term's first posting, joined
        last = first + lengths - 1
        self.ids = np.concatenate(postings)
        start = at + first  # the first posting at or after the row (past the term's end: none)
        self.has_after, self.has_before = at < lengths, at > 0
        self.here, self.previous = np.minimum(start, last), np.maximum(start - 1, first)
        self.at_here, self.at_previous = self.ids[self.here], self.ids[self.previous]
        self.own = self.at_here == keys
        self.before = self.has_before & (self.at_previous == keys - 1)
        self.following = np.minimum(start + self.own, last)
        self.after = self.ids[self.following] == keys + 1

    def within(self, bounds: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Whether each row's run [start, end) holds a posting of each term."""
        start, end = bounds
        return (self.has_after & (self.at_here < end)) | (
            self.has_before & (self.at_previous >= start))


def _by_group(values: np.ndarray, owner: list[int], groups: int, combine: np.ufunc) -> np.ndarray:
    """Each group's row: its first term's, combined with its next terms' in order (0: none)."""
    if owner == list(range(groups)):  # most questions: one term a group, every group used
        return values
    out = np.zeros((groups, values.shape[1]), dtype=values.dtype)
    seen: set[int] = set()
    for term, group in enumerate(owner):
        if group in seen:
            combine(out[group], values[term], out=out[group])
        else:
            seen.add(group)
            out[group] = values[term]
    return out
