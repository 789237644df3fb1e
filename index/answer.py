"""Answers: ranked sentences → non-overlapping cited passages, or an abstention that says why."""

from __future__ import annotations

import numpy as np

from .corpus import Index
from .errors import EmptyQuestionError, UnknownSourceError
from .models import Answer, Passage
from .query import Query, parse_query
from .search import Scored, rank, score_query
from .settings import SearchSettings
from .tokens import spans
from .topics import Issue, Party, Topics

MAX_TOP = 25
MAX_CONTEXT = 5


def answer(index: Index, topics: Topics, question: str, *, top: int = 3,
           source: str | None = None, context: int = 1, issue: Issue | None = None,
           side: Party | None = None, settings: SearchSettings | None = None) -> Answer:
    """Answer a question (or an issue, optionally narrowed) with cited passages, or abstain."""
    settings = settings or SearchSettings()
    if not question.strip() and issue is None:
        raise EmptyQuestionError("the question is empty")
    top, context = max(1, min(top, MAX_TOP)), max(0, min(context, MAX_CONTEXT))
    lo, hi = _source_rows(index, source)
    query = parse_query(question, topics, settings, issue.query if issue else "", side)
    scored = score_query(index, query, settings, lo, hi)
    order = rank(scored, limit=top * (2 * context + 2))  # enough: each passage uses ≤ 2c+1 rows
    passages = _passages(index, scored, order, query, top, context)
    unknown = _unknown_terms(index, query)
    best_coverage = float(scored.coverage[order[0]]) if len(order) else 0.0
    answered = bool(passages) and best_coverage >= settings.min_coverage
    return Answer(question, answered, tuple(passages), unknown, source)


def _source_rows(index: Index, source: str | None) -> tuple[int, int]:
    """The rows of one source, or of all."""
    if source is None:
        return 0, index.size
    position = index.source_index(source)
    if position is None:
        known = ", ".join(s.source_id for s in index.sources[:10]) or "none"
        raise UnknownSourceError(f"no source {source!r} is indexed (sources: {known})")
    record = index.sources[position]
    return record.first, record.first + record.count


def _passages(index: Index, scored: Scored, order: np.ndarray, query: Query, top: int,
              context: int) -> list[Passage]:
    """The best sentences, each with up to `context` neighbours a side from its section."""
    used: set[int] = set()
    passages: list[Passage] = []
    for position in order:
        row = int(scored.rows[position])
        if row in used:
            continue
        section = index.sent_section[row]
        lo = row
        while lo > row - context and lo > 0 and index.sent_section[lo - 1] == section \
                and lo - 1 not in used:
            lo -= 1
        hi = row
        while hi < row + context and hi + 1 < index.size and \
                index.sent_section[hi + 1] == section and hi + 1 not in used:
            hi += 1
        ids = tuple(range(lo, hi + 1))
        used.update(ids)
        sentences = tuple(index.sentence(i) for i in ids)
        passages.append(Passage(
            rank=len(passages) + 1, score=float(scored.scores[position]),
            sentences=sentences, match_offset=row - lo, citation=index.citation(row),
            sentence_ids=ids, matched_terms=_matched_terms(sentences[row - lo], query),
        ))
        if len(passages) == top:
            break
    return passages


def _query_terms(query: Query) -> set[str]:
    """Every term the query searches for, alternatives included."""
    return {t for g in query.groups for t, _ in g.terms}


def _matched_terms(sentence: str, query: Query) -> tuple[str, ...]:
    """The words of a sentence that matched the query, as they are written there."""
    wanted = _query_terms(query)
    words = (sentence[a:b] for a, b, terms in spans(sentence) if wanted.intersection(terms))
    return tuple(dict.fromkeys(words))


def _unknown_terms(index: Index, query: Query) -> tuple[str, ...]:
    """The question's words that occur nowhere in the sources (nor do their alternatives)."""
    vocab = index.postings.vocab
    # Each word once: a compound ("zorg-blat") makes several groups with the same surface.
    return tuple(dict.fromkeys(g.surface for g in query.groups
                               if g.required and not any(t in vocab for t, _ in g.terms)))
