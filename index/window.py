"""The passage a reader sees (a sentence ±1 of its section) as the ranking unit (window_weight).

The passage shown is judged as a whole: a question word its centre lacks may sit in the
sentence before or after ("how many crew were on the tankers hit near Turkey" — "tankers",
"hit", "Turkey" before "all 45 sailors aboard were safe"). So a candidate's window score is its
own score plus `window_weight` × the better neighbour's BM25 for each question group the centre
lacks, under the centre's own factors (answer kind, position, coord). Windows are ranked; the
bold sentence shown is the best candidate inside the window by its own score, so the line
marked as the match is the one that matches, and the passage still holds the answer.

Only the candidates' neighbours' BM25 is computed (read from the same binary search of a term's
postings as the candidates' own, index/around.py): a neighbour's other signals do not enter its
window's score.
"""

from __future__ import annotations

import numpy as np

from .around import Around
from .evidence import Columns
from .query import TermGroup
from .scratch import summed_in_order


class Windows:
    """Candidate rows (ascending) with their same-section neighbours' evidence, group by group."""

    def __init__(self, around: Around, title_discount: float) -> None:
        """Whether each candidate has a sentence before and after it in its section.

        A section is a run of rows [start, end): the row before is in it past the start, the
        row after before the end.
        """
        rows, (start, end) = around.rows, around.section
        self.has = np.concatenate([rows > start, rows + 1 < end])
        self.rows, self.title_discount = rows, title_discount
        self.added = np.zeros(len(rows))

    def wants(self, group: TermGroup, group_cols: Columns) -> bool:
        """Whether a group's neighbours count: only a group the question needs covered.

        A framing word, an expansion or a party's name in the next sentence says nothing about
        whether this passage answers.
        """
        return bool(group_cols) and group.required

    def add_groups(self, windowed: list[int], groups: tuple[TermGroup, ...], hit: np.ndarray,
                   near_bm25: np.ndarray, share: np.ndarray) -> None:
        """Add the better neighbour's score for each windowed group the candidate lacks.

        Per group (first axis) and candidate: `hit` whether the candidate holds it, `near_bm25` its
        BM25 in the rows before the candidates then after them (any value where a candidate
        has no neighbour in its section: it is not read), `share` its title share (0: none).
        """
        if not windowed:
            return
        n = len(self.rows)
        near = np.where(self.has, np.maximum(near_bm25[windowed], 0.0), 0.0)
        weight = np.array([groups[i].weight for i in windowed], dtype=np.float64)[:, None]
        best = np.maximum(near[:, :n], near[:, n:]) * weight
        # As the sentence's own (index/group_sums): a party's is not discounted; × 1 where no
        # title holds the group.
        shared = [k for k, i in enumerate(windowed) if not groups[i].party]
        best[shared] *= 1.0 - self.title_discount * share[[windowed[k] for k in shared]]
        self.added += summed_in_order(np.where(hit[windowed], 0.0, best))

    def scores(self, own: np.ndarray, base: np.ndarray, weight: float) -> np.ndarray:
        """Each window's score: the centre's own plus the neighbours' evidence under its factors.

        `base` is the evidence the centre's factors multiply (own / base is those factors:
        answer kind, position, coord); a candidate with no evidence of its own gains nothing.
        """
        factor = np.divide(own, base, out=np.zeros(len(own)), where=base != 0)
        return own + weight * self.added * factor

    def bold(self, own: np.ndarray, candidate: np.ndarray) -> np.ndarray:
        """Each window's best candidate row by its own score (ties: the centre itself).

        `own` and `candidate`: the scored rows' own scores and which are kept as candidates. A
        neighbour the shortlist left out is not weighed: it scored too low on its own words
        (tests/index/test_two_stage.py checks the answers equal scoring every candidate).
        """
        rows, n = self.rows, len(self.rows)
        # Rows ascending and distinct: the row before candidate i is a candidate only as
        # candidate i - 1, the row after only as candidate i + 1.
        next_to = rows[1:] == rows[:-1] + 1
        near_score = np.full(2 * n, -np.inf)  # the rows before, then after (-inf: not weighed)
        near_score[1:n] = np.where(next_to & self.has[1:n] & candidate[:-1], own[:-1], -np.inf)
        near_score[n:2 * n - 1] = np.where(next_to & self.has[n:2 * n - 1] & candidate[1:],
                                           own[1:], -np.inf)
        best, best_score = rows.copy(), np.where(candidate, own, -np.inf)
        for side, step in ((slice(0, n), -1), (slice(n, 2 * n), 1)):
            better = near_score[side] > best_score
            best = np.where(better, rows + step, best)
            best_score = np.where(better, near_score[side], best_score)
        return best
