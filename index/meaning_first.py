"""A passage found by meaning: the window closest to a question, first when much closer.

The words choose the passages and decide whether to answer (index/answer). A question typed in
other words than its answer's ("would russia have to hand back any land it grabbed" against
"pull its forces out of some areas it has captured") can still find the answer's sentence among
the index's windows by meaning: every sentence with its neighbours (the passage it would be
shown as) is embedded once and kept (index/semantic's store), and the question is compared with
all of them. When the closest one's cosine beats the first passage's by SearchSettings.
meaning_first or more, it is shown first and the words' passages follow. Whether to answer stays
the words' decision. A follow-up is compared as it was read (its "understood as" line, the
user's words with the earlier turns'); an issue command's passages stay what its words find.
Off with the semantic order (index/semantic).

Above MAX_SENTENCES it is off: the windows are embedded once per machine and kept, but once is
~40 ms a window on two cores (the 13 reports' 467 in ~20 s; 2,000 in ~1.5 min), which the first
question over new sources waits for (a serving bot embeds them while warming up).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from .answer import window_rows
from .answer_type import answer_kind
from .corpus import Index
from .models import Answer, Passage

MAX_SENTENCES = 2_000  # ~50 news reports


class WindowMatrix:
    """Every window's vector for one served index and context, made once (the last one kept)."""

    def __init__(self) -> None:
        """Nothing made yet."""
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._index: Index | None = None  # held so that its id is not reused while kept
        self._matrix: np.ndarray | None = None

    def get(self, index: Index, context: int, embed: Callable[[list[str]], np.ndarray | None]
            ) -> np.ndarray | None:
        """The windows' vectors, one row per sentence (None when the model is unavailable)."""
        key = (id(index), context)
        with self._lock:
            if self._key == key and self._index is index:
                return self._matrix
            texts = [" ".join(index.sentence(i) for i in window_rows(index, row, context, set()))
                     for row in range(index.size)]
            matrix = embed(texts)
            if matrix is None:
                return None
            self._key, self._index, self._matrix = key, index, matrix
            return matrix


def closest_first(index: Index, answer: Answer, matrix: np.ndarray, question: np.ndarray,
                  first: np.ndarray, *, context: int, margin: float,
                  asked: str | None = None) -> Answer:
    """The answer with the window closest in meaning shown first, if it beats the first by margin.

    `question`, `first`: the vectors of the question and of the first passage shown; `asked`:
    the question's text as read (a follow-up's "understood as"), by default the answer's.
    """
    lo, hi = _rows(index, answer.source)
    if hi <= lo or not answer.passages:
        return answer
    cosines = matrix[lo:hi] @ question
    row = lo + int(np.argmax(cosines))
    if float(cosines[row - lo]) - float(first @ question) < margin:
        return answer
    holder = next((p for p in answer.passages if row in p.sentence_ids), None)
    if holder is not None:  # the words show it already, lower: it moves up
        rest = [p for p in answer.passages if p is not holder]
        return _ranked(answer, [holder, *rest])
    ids = window_rows(index, row, context, set())
    text = " ".join(index.sentence(i) for i in ids)
    kind = answer_kind(asked if asked is not None else answer.question)
    if kind is not None and not kind(text) and any(kind(p.text) for p in answer.passages):
        return answer  # the model cannot tell a passage holding the kind of answer asked for
    used = set(ids)
    rest = [p for p in answer.passages if used.isdisjoint(p.sentence_ids)]
    found = Passage(rank=1, score=0.0, sentences=tuple(index.sentence(i) for i in ids),
                    match_offset=ids.index(row), citation=index.citation(row), sentence_ids=ids)
    return _ranked(answer, [found, *rest][:len(answer.passages)])


def _ranked(answer: Answer, passages: list[Passage]) -> Answer:
    """The answer showing these passages, ranked in this order."""
    return replace(answer, passages=tuple(replace(p, rank=rank)
                                          for rank, p in enumerate(passages, start=1)))


def _rows(index: Index, source: str | None) -> tuple[int, int]:
    """The rows an answer was searched in: one source's, or all."""
    if source is None:
        return 0, index.size
    position = index.source_index(source)
    if position is None:
        return 0, 0
    record = index.sources[position]
    return record.first, record.first + record.count
