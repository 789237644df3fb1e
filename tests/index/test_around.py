"""One binary search per term (index/around.py) finds what looking at every row finds: a group's
count in each candidate and in the rows just before and after it, and whether its paragraph and
section hold the group, on real corpora, over all rows and over one source's rows."""

from __future__ import annotations

import bisect
import random
from pathlib import Path

import numpy as np
import pytest

from index.around import Around
from index.corpus import Index
from index.engine import Engine
from index.evidence import Columns, columns
from index.query import TermGroup

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def _index(corpus: str, tmp_path: Path) -> Index:
    engine = Engine(REPO / corpus if corpus == "sources" else DATA / corpus, tmp_path / corpus)
    engine.open()
    return engine.snapshot.index


def _groups(index: Index, rng: random.Random) -> list[TermGroup]:
    """One-term groups of rare and common terms, groups of several, and an unknown term."""
    vocab = sorted(index.postings.vocab)
    by_rows = sorted(vocab, key=lambda t: len(index.postings.ids[index.postings.span(t)]))
    groups = [TermGroup(term=t, surface=t) for t in rng.sample(vocab, 40) + by_rows[-10:]]
    for _ in range(20):
        first, *more = rng.sample(vocab, rng.randint(2, 4))
        groups.append(TermGroup(term=first, surface=first,
                                alternatives=tuple((t, rng.choice((0.5, 0.75, 1.0)))
                                                   for t in more)))
    return [*groups, TermGroup(term="zzzunseenzzz", surface="zzzunseenzzz")]


def _expected(index: Index, group_cols: Columns, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The same values, row by row, from each term's postings as a dict."""
    counts = [(dict(zip(ids.tolist(), tf.tolist(), strict=True)), factor)
              for ids, tf, factor in group_cols]
    postings = [ids.tolist() for ids, _, _ in group_cols]
    n = len(rows)
    tf, held = np.zeros(3 * n), np.zeros(3 * n, dtype=bool)
    for k, row in enumerate(np.concatenate([rows, rows - 1, rows + 1]).tolist()):
        for held_rows, factor in counts:  # in term order, as the sum is made
            if row in held_rows:
                tf[k] += factor * held_rows[row]
                held[k] = True
    units = {}
    for name, of_row, first in (("para", index.sent_para, index.para_first),
                                ("section", index.sent_section, index.section_first)):
        units[name] = np.array([any(_holds(ids, int(first[u]), int(first[u + 1]))
                                    for ids in postings) for u in of_row[rows].tolist()],
                               dtype=bool)
    return {"tf": tf, "held": held, "in_para": units["para"], "in_section": units["section"]}


def _holds(ids: list[int], start: int, end: int) -> bool:
    """Whether ascending `ids` hold a row in [start, end)."""
    at = bisect.bisect_left(ids, start)
    return at < len(ids) and ids[at] < end


@pytest.mark.parametrize("corpus", ["sources", "encyclopedia_dev"])
def test_one_search_a_term_finds_what_every_row_holds(corpus: str, tmp_path: Path) -> None:
    index = _index(corpus, tmp_path)
    rng = random.Random(5)
    groups = _groups(index, rng)
    middle = index.sources[len(index.sources) // 2]
    spans = [(0, index.size), (middle.first, middle.first + middle.count)]
    neighbours_held = units_not_rows = 0
    for lo, hi in spans:
        cols = [columns(index, g, lo, hi) for g in groups]
        # Every row of the range at the edges, and a random sample (ascending, distinct).
        sample = rng.sample(range(lo, hi), min(300, hi - lo))
        rows = np.array(sorted({lo, hi - 1, *sample}), dtype=np.intp)
        found = Around(index, rows).groups(cols)
        n = len(rows)
        for g, group_cols in enumerate(cols):
            want = _expected(index, group_cols, rows)
            held = found.held[g]
            # A neighbour outside the index is never held; inside, it is what the postings say.
            assert np.array_equal(found.tf[g], want["tf"]), (corpus, groups[g])
            assert np.array_equal(held, want["held"]), (corpus, groups[g])
            assert np.array_equal(found.in_para[g], want["in_para"]), (corpus, groups[g])
            assert np.array_equal(found.in_section[g], want["in_section"]), (corpus, groups[g])
            neighbours_held += int(held[n:].sum())
            units_not_rows += int((want["in_para"] & ~held[:n]).sum()
                                  + (want["in_section"] & ~want["in_para"]).sum())
    assert neighbours_held > 100  # the checks can fail: neighbours and units are exercised
    assert units_not_rows > 100
