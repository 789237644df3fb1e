"""Answers: ranked sentences → non-overlapping cited passages, or an abstention that says why."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .abbreviations import with_ordinal_words, with_unit_forms
from .abstention import best_coverage, optional_unknown, unknown_words, why_declined
from .acronyms import with_acronyms
from .conversation import CarriedWord, without_filler
from .conversation_search import (
    judged_query,
    led_rows,
    prefer_near,
    same_subject,
    with_carried,
)
from .corpus import UNKNOWN_PLACE, Index
from .duplicates import Terms, content_terms, same_fact
from .errors import EmptyQuestionError, UnknownSourceError
from .models import Answer, Citation, Passage, PassageKey
from .naming import holding, names_asked, naming_first
from .query import Query, parse_query
from .respell import with_respellings
from .search import Scored, rank, score_query
from .settings import SearchSettings
from .tokens import spans
from .topics import Issue, Party, Topics

MAX_TOP = 25
MAX_CONTEXT = 5
# The passages a question naming someone or something is answered from (index/naming): those
# holding the names go first. Four times the three shown: twice (the first choice) left
# follow-ups, whose carried names the first passages often lack, 7 first passages lower over the
# conversation files (docs/dev-notes/NOTES-rounds.md, session 13).
NAMING_POOL = 12


def answer(index: Index, topics: Topics, question: str, *, top: int = 3,
           source: str | None = None, context: int = 1, issue: Issue | None = None,
           side: Party | None = None, settings: SearchSettings | None = None,
           carried: Sequence[CarriedWord] = (), own_words: bool = True,
           prefer: Sequence[PassageKey] = ()) -> Answer:
    """Answer a question (or an issue, optionally narrowed) with cited passages, or abstain.

    `carried`, `own_words` and `prefer` are a follow-up's reading (index/conversation).
    """
    settings = settings or SearchSettings()
    if not question.strip() and issue is None:
        raise EmptyQuestionError("the question is empty")
    asking = _Asking(question, top=max(1, min(top, MAX_TOP)),
                     context=max(0, min(context, MAX_CONTEXT)), rows=_source_rows(index, source),
                     source=source, carried=tuple(carried), own_words=own_words,
                     prefer=tuple(prefer))
    query = parse_query(question, topics, settings, issue.query if issue else "", side)
    if settings.respelling:
        query = with_respellings(index, query, settings.alias_weight)
    if settings.unit_forms:  # "sq km", "dec", "3rd" asked; "square kilometres", "December", "third"
        query = with_unit_forms(index, query, settings.alias_weight)
        query = with_ordinal_words(index, query, settings.alias_weight)
    result, found = _answer_query(index, topics, query, settings, asking)
    if settings.acronyms:  # "ISW" asked, "Institute for the Study of War" where its words lead
        spelt = with_acronyms(index, query, (index.sentence(r) for r in found), 1.0)
        if spelt is not query:  # asked again with it (the name itself, not another name)
            result, _ = _answer_query(index, topics, spelt, settings, asking)
    return result


@dataclass(frozen=True)
class _Asking:
    """How a question is asked: passages wanted, rows searched, a follow-up's reading."""

    question: str
    top: int
    context: int
    rows: tuple[int, int]
    source: str | None
    carried: tuple[CarriedWord, ...]
    own_words: bool
    prefer: tuple[PassageKey, ...]


def with_candidates(shown: Answer, wider: Sequence[Passage], count: int) -> Answer:
    """The answer with a wider answer's passages it lacks appended, up to `count` in all.

    For the semantic order's candidates (index/semantic): a passage of the same sentence, or
    sharing one with a passage already there, is left out, so none is shown twice.
    """
    keys = {p.key for p in shown.passages}
    used = {i for p in shown.passages for i in p.sentence_ids}
    extra = [p for p in wider if p.key not in keys and not used.intersection(p.sentence_ids)]
    start = len(shown.passages) + 1
    added = tuple(replace(p, rank=rank)
                  for rank, p in enumerate(extra[:count - len(shown.passages)], start=start))
    return replace(shown, passages=shown.passages + added)


def _answer_query(index: Index, topics: Topics, query: Query, settings: SearchSettings,
                  asking: _Asking) -> tuple[Answer, list[int]]:
    """The answer to a parsed question (passages, or why it is declined), and the rows ranked."""
    (lo, hi), context = asking.rows, asking.context
    carried, prefer = asking.carried, asking.prefer
    if carried:  # a follow-up's words of talk ("any idea", "the job") are neither topic nor unknown
        query = without_filler(query)
    unknown = unknown_words(index, query, settings)
    optional = optional_unknown(index, query, unknown, settings, follow_up=bool(carried))
    if optional:
        query = replace(query, groups=tuple(replace(g, required=False)
                                            if any(g is o for o in optional) else g
                                            for g in query.groups))
    asked = query
    if carried:
        query = with_carried(query, carried, topics, settings, required=not asking.own_words)
    names = names_asked(index, asked, query) if settings.named_first else []
    # index/naming: the passages holding the names are looked for among NAMING_POOL (a fixed
    # pool, so the first three are the same whether three or six passages are asked for).
    pool = max(NAMING_POOL, 2 * asking.top) if names else asking.top
    # A follow-up's lead for the source shown last can lift any of its sentences (rows elsewhere
    # only step back): all of that source's candidates are scored, the shortlist for the rest.
    # The shortlist grows with the pool, so its passages are those scoring every candidate gives.
    limit = _rows_for(pool, context)
    scored = score_query(index, query, settings, lo, hi, limit=limit,
                         keep=led_rows(index, prefer) if prefer else None,
                         depth=pool // asking.top)
    if prefer and not carried and not same_subject(index, asked, prefer):
        prefer = ()  # a full question about nothing just shown: a new subject, unmarked
    if prefer:
        scored = prefer_near(index, scored, prefer, asked, reach=context)
    order = rank(scored, limit=limit)
    passages = _passages(index, scored, order, query, asking.top, context,
                         settings.duplicate_overlap)
    if names and passages and not all(holding(index, names, passages)):
        more = _passages(index, scored, order, query, pool, context, settings.duplicate_overlap)
        passages = naming_first(index, names, more, asking.top) or passages
    judged = judged_query(index, asked, carried, topics, settings) \
        if carried and len(order) else None
    coverage = best_coverage(index, settings, asking.rows, query, judged,
                             int(scored.rows[order[0]]),
                             float(scored.coverage[order[0]])) if len(order) else 0.0
    abstention, missing = why_declined(index, topics, settings, question=asking.question,
                                       asked=asked, unknown=unknown, passages=passages,
                                       coverage=coverage, follow_up=bool(carried), judged=judged)
    return Answer(question=asking.question, answered=abstention is None, passages=tuple(passages),
                  unknown_terms=tuple(dict.fromkeys(g.surface for g in unknown)),
                  source=asking.source, abstention=abstention,
                  missing=missing), [int(scored.rows[i]) for i in order]


def _rows_for(passages: int, context: int) -> int:
    """Rows enough for that many passages (each ≤ 2c+1 rows), and as many again for restatements."""
    return 2 * passages * (2 * context + 2)


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
              context: int, overlap: float) -> list[Passage]:
    """The best sentences, each with up to `context` neighbours a side from its section.

    A sentence restating one already shown (another report's words for the same fact) is not
    shown again: its source is named under the first instead ("also reported by").
    """
    used: set[int] = set()
    passages: list[Passage] = []
    shown: list[Terms] = []
    also: list[list[Citation]] = []
    asked = _QueryTerms.of(index, query)
    for position in order:
        # The passage is the window around `row`, its bold line the window's best sentence.
        row = int(scored.rows[position])
        bold = row if scored.bold is None or int(scored.bold[position]) in used \
            else int(scored.bold[position])
        row = row if context else bold  # no neighbours shown: the bold sentence alone
        if row in used:
            continue
        terms = content_terms(index, bold) if overlap else {}
        citation = index.citation(bold)
        twin = next((i for i, t in enumerate(shown) if same_fact(terms, t, overlap)
                     and passages[i].citation.source_id != citation.source_id), None)
        if twin is not None:  # another report's words for a fact shown: name it there
            if all(c.source_id != citation.source_id for c in also[twin]):
                also[twin].append(citation)
            continue
        ids = window_rows(index, row, context, used)
        match = ids.index(bold)
        used.update(ids)
        sentences = tuple(index.sentence(i) for i in ids)
        matched = _matched_terms(index, bold, sentences[match], query, asked)
        passages.append(Passage(
            rank=len(passages) + 1, score=float(scored.scores[position]),
            sentences=sentences, match_offset=match, citation=citation,
            sentence_ids=ids, matched_terms=matched,
        ))
        shown.append(terms)
        also.append([])
        if len(passages) == top:
            break
    return [replace(p, also_reported_by=tuple(a)) if a else p
            for p, a in zip(passages, also, strict=True)]


def window_texts(index: Index, context: int = 1) -> Iterator[str]:
    """The text of every passage an answer can show with `context` neighbours a side.

    First each sentence's whole window, then the windows cut short on one side or both by a
    passage shown before them (what `window_rows` gives when neighbours are used already).
    """
    windows = [window_rows(index, row, context, set()) for row in range(index.size)]
    for ids in windows:
        yield " ".join(index.sentence(i) for i in ids)
    for row, ids in enumerate(windows):
        for lo in range(ids[0], row + 1):
            for hi in range(row, ids[-1] + 1):
                if (lo, hi) != (ids[0], ids[-1]):
                    yield " ".join(index.sentence(i) for i in range(lo, hi + 1))


def window_rows(index: Index, row: int, context: int, used: set[int]) -> tuple[int, ...]:
    """A row and up to `context` neighbours a side from its section, none already shown."""
    section = index.sent_section[row]
    lo = row
    while lo > row - context and lo > 0 and index.sent_section[lo - 1] == section \
            and lo - 1 not in used:
        lo -= 1
    hi = row
    while hi < row + context and hi + 1 < index.size and \
            index.sent_section[hi + 1] == section and hi + 1 not in used:
        hi += 1
    return tuple(range(lo, hi + 1))


@dataclass(frozen=True)
class _QueryTerms:
    """Every term a query searches for (alternatives included), and their ids in the index."""

    terms: set[str]
    ids: set[int]

    @classmethod
    def of(cls, index: Index, query: Query) -> _QueryTerms:
        """The query's terms, looked up once for all the passages shown."""
        vocab = index.postings.vocab
        terms = {t for g in query.groups for t, _ in g.terms}
        return cls(terms=terms, ids={vocab[t] for t in terms if t in vocab})


def _matched_terms(index: Index, row: int, sentence: str, query: Query,
                   asked: _QueryTerms | None = None) -> tuple[str, ...]:
    """The words of the sentence at `row` that matched the query, as they are written there.

    Read from the tokens the build saved (term ids and their words' places), which are the
    sentence's spans; the sentence is tokenized again only when a matched word's place is not
    saved (UNKNOWN_PLACE). `asked`: the query's terms, when looked up already.
    """
    asked = asked or _QueryTerms.of(index, query)
    hits = [i for i, t in enumerate(index.term_ids(row, row + 1).tolist()) if t in asked.ids]
    if not hits:
        return ()
    places = index.row_places[index.tokens(row, row + 1)][hits].tolist()
    if any(end == UNKNOWN_PLACE for _, end in places):
        words = (sentence[a:b] for a, b, held in spans(sentence) if asked.terms.intersection(held))
        return tuple(dict.fromkeys(words))
    return tuple(dict.fromkeys(sentence[a:b] for a, b in places))
