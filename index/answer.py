"""Answers: ranked sentences → non-overlapping cited passages, or an abstention that says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .abbreviations import with_unit_forms
from .acronyms import with_acronyms
from .answer_type import (
    lacks_kind,
    relation_verb,
    speaker_phrase,
    unnamed_speaker,
    unsaid_relation,
    unshown_names,
)
from .conversation import CarriedWord, doer_unstated, without_filler
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
from .names import is_rare_word, misspells
from .query import Query, TermGroup, parse_query
from .respell import with_respellings
from .search import Scored, coverage_at, rank, score_query
from .settings import SearchSettings
from .tokens import spans
from .topics import Issue, Party, Topics

MAX_TOP = 25
MAX_CONTEXT = 5


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
    if settings.unit_forms:  # "sq km" asked, "square kilometres" written
        query = with_unit_forms(index, query, settings.alias_weight)
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


def _answer_query(index: Index, topics: Topics, query: Query, settings: SearchSettings,
                  asking: _Asking) -> tuple[Answer, list[int]]:
    """The answer to a parsed question (passages, or why it is declined), and the rows ranked."""
    (lo, hi), context = asking.rows, asking.context
    carried, prefer = asking.carried, asking.prefer
    unknown = _rare_as_names(index, _unknown_groups(index, query), settings)
    everyday = [g for g in unknown if not g.name]
    if settings.name_abstention and len(everyday) == 1:
        # One everyday word no source uses (slang, a verb form) cannot veto an answer; several
        # say the question is about something else, so they keep their weight.
        query = replace(query, groups=tuple(replace(g, required=False) if g is everyday[0]
                                            else g for g in query.groups))
    if carried:  # a follow-up's words of talk ("the other side", "the job") are not its topic
        query = without_filler(query)
    asked = query
    if carried:
        query = with_carried(query, carried, topics, settings, required=not asking.own_words)
    # Enough rows for `top` passages (each uses ≤ 2c+1 rows), and as many again for restatements.
    limit = 2 * asking.top * (2 * context + 2)
    # A follow-up's lead for the source shown last can lift any of its sentences (rows elsewhere
    # only step back): all of that source's candidates are scored, the shortlist for the rest.
    scored = score_query(index, query, settings, lo, hi, limit=limit,
                         keep=led_rows(index, prefer) if prefer else None)
    if prefer and not carried and not same_subject(index, asked, prefer):
        prefer = ()  # a full question about nothing just shown: a new subject, unmarked
    if prefer:
        scored = prefer_near(index, scored, prefer, asked, reach=context)
    order = rank(scored, limit=limit)
    passages = _passages(index, scored, order, query, asking.top, context,
                         settings.duplicate_overlap)
    judged = judged_query(index, asked, carried, topics, settings) \
        if carried and len(order) else None
    coverage = _best_coverage(index, settings, asking, query, judged, int(scored.rows[order[0]]),
                              float(scored.coverage[order[0]])) if len(order) else 0.0
    abstention, missing = _abstention(unknown, bool(passages), coverage, settings), None
    if abstention is None:
        abstention, missing = _unanswered(index, asked, unknown, passages, settings,
                                          follow_up=bool(carried), near=judged)
    if carried and abstention is None:
        abstention, missing = _follow_up_unanswered(index, topics, settings, asking.question,
                                                    asked, unknown, passages)
    return Answer(question=asking.question, answered=abstention is None, passages=tuple(passages),
                  unknown_terms=tuple(dict.fromkeys(g.surface for g in unknown)),
                  source=asking.source, abstention=abstention,
                  missing=missing), [int(scored.rows[i]) for i in order]


def _best_coverage(index: Index, settings: SearchSettings, asking: _Asking, query: Query,
                   judged: Query | None, row: int, scored: float) -> float:
    """How much of the question the best sentence (`row`, `scored` as searched) covers.

    `query` is what was searched; a follow-up may also be judged with the words it carries
    (`judged`, index/conversation_search.judged_query).
    """
    coverage = scored
    if judged is not None:
        coverage = max(coverage, coverage_at(index, judged, settings, row, asking.rows))
    if settings.relation_leniency and coverage < settings.min_coverage:
        coverage = max(coverage, _coverage_but_verb(index, query, settings, row, asking.rows))
    return coverage


def _follow_up_unanswered(index: Index, topics: Topics, settings: SearchSettings, question: str,
                          asked: Query, unknown: list[TermGroup],
                          passages: list[Passage]) -> tuple[str | None, str | None]:
    """Why a follow-up's passages do not answer it: what it names, or the doer it asks, is absent.

    "and france?": the words carried found the passages and none names France; "who designed
    those reactors?": see index/conversation.doer_unstated.
    """
    unshown = unshown_names(index, asked, passages, topics.parties) \
        if settings.follow_up_names else ()
    if unshown:
        return "partly_covered", f"anything on {unshown[0].surface}"
    if doer_unstated(question, [g.surface for g in unknown], [p.text for p in passages[:1]]):
        return "off_topic", None
    return None, None


def _abstention(unknown: list[TermGroup], found: bool, coverage: float,
                settings: SearchSettings) -> str | None:
    """Why to decline (off_topic, partly_covered), or None to answer."""
    if not found or (settings.name_abstention and any(g.name for g in unknown)):
        return "off_topic"
    if coverage < settings.min_coverage:
        return "partly_covered" if coverage > 0 else "off_topic"
    return None


def _unanswered(index: Index, query: Query, unknown: list[TermGroup], passages: list[Passage],
                settings: SearchSettings, follow_up: bool,
                near: Query | None = None) -> tuple[str | None, str | None]:
    """Why no shown passage can be the answer, and what none holds (index/answer_type).

    `near`: a follow-up as it is judged, with the words it carries; the kind of answer asked
    for may be near those instead of its own few words ("how many a day?").
    """
    speaker = unnamed_speaker(index, query, passages) if settings.speaker_check else ()
    if speaker:  # a speaker no source names at all ("the pope") is off the sources' topic
        said = f"what {speaker_phrase(query.text)} said"
        return ("off_topic" if {g.term for g in speaker} & {g.term for g in unknown}
                else "partly_covered"), said
    # A follow-up's "who designed those?" is judged by its own doer rule (index/conversation).
    relation = unsaid_relation(index, query, passages, settings.min_coverage) \
        if settings.relation_check and not follow_up else None
    if relation:  # "who designed the reactors": no shown passage says so or is about them
        return "partly_covered", relation
    kind = lacks_kind(index, query, passages, settings.min_coverage) \
        if settings.answer_kind else None
    if kind and near is not None:  # a follow-up: near the words it carries is enough too
        kind = lacks_kind(index, near, passages, settings.min_coverage)
    return ("partly_covered", kind) if kind else (None, None)


def _coverage_but_verb(index: Index, query: Query, settings: SearchSettings, row: int,
                       rows: tuple[int, int]) -> float:
    """How much of the question the sentence at `row` covers, the relation's verb left out.

    "Who created Linux?" is answered by "Linux was developed by …": the verb asked with is
    often not the answer's (index/answer_type.relation_verb).
    """
    verb = relation_verb(query)
    if verb is None:
        return 0.0
    lenient = replace(query, groups=tuple(replace(g, required=False) if g is verb else g
                                          for g in query.groups))
    return coverage_at(index, lenient, settings, row, rows)


def _rare_as_names(index: Index, unknown: list[TermGroup],
                   settings: SearchSettings) -> list[TermGroup]:
    """Unknown words that are not everyday English, as names (unless they misspell a known word).

    So lowercase names ("meloni", "kadyrov") decline like capitalised ones.
    """
    if not (settings.name_abstention and settings.rare_word_names):
        return unknown
    return [replace(g, name=True) if not g.name and is_rare_word(g.surface)
            and not misspells(g.term, index.postings.vocab) else g for g in unknown]


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
        ids = _window(index, row, context, used)
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


def _window(index: Index, row: int, context: int, used: set[int]) -> tuple[int, ...]:
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


def _unknown_groups(index: Index, query: Query) -> list[TermGroup]:
    """The question's words that occur nowhere in the sources: text, headings, titles."""
    found = [index.uses_any(t for t, _ in g.terms) for g in query.groups]
    # A compound ("counter-offer") is known when one of its parts is: its joined form is not.
    known_words = {g.surface for g, f in zip(query.groups, found, strict=True) if f}
    return [g for g, f in zip(query.groups, found, strict=True)
            if g.required and not f and g.surface not in known_words]
