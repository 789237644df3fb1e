"""Whether to decline: what no source has, how much the best sentence covers, what none shows.

index/answer.py ranks and builds the passages; this module reads the question against them
and says why they are no answer ("off_topic", "partly_covered") and what is missing, or None.
"""

from __future__ import annotations

from dataclasses import replace

from .answer_type import (
    doer_unstated,
    lacks_kind,
    relation_verb,
    speaker_phrase,
    unnamed_speaker,
    unsaid_relation,
    unshown_names,
)
from .corpus import Index
from .counting import count_test, named_but_uncounted
from .everyday import everyday_frequency
from .models import Passage
from .names import is_rare_word, misspells
from .query import Query, TermGroup
from .search import coverage_at
from .settings import SearchSettings
from .topics import Topics


def unknown_words(index: Index, query: Query, settings: SearchSettings) -> list[TermGroup]:
    """The question's words no source uses, rare ones counted as names (they decline)."""
    return _rare_as_names(index, _unknown_groups(index, query), settings)


def optional_unknown(index: Index, query: Query, unknown: list[TermGroup],
                     settings: SearchSettings, *, follow_up: bool) -> list[TermGroup]:
    """The unknown words a question is searched and judged without (see not_vetoing)."""
    if not settings.name_abstention:
        return []
    missing = {g.surface for g in unknown}
    found = {g.surface for g in query.groups if g.required and g.surface not in missing}
    words = int(index.token_first[-1]) if settings.expected_words else None
    return not_vetoing(unknown, follow_up=follow_up, words=words, found=len(found))


def not_vetoing(unknown: list[TermGroup], *, follow_up: bool, words: int | None = None,
                found: int = 0) -> list[TermGroup]:
    """The everyday words no source uses that cannot by themselves make a question off-topic.

    An adverb in -ly ("realistically") says how a question is meant, not what about; a follow-up
    is about what its conversation is about, its own few words chatty ("is that pace guaranteed
    to last?"). A word the sources are too small to be expected to use (its share of English
    times `words`, their word count, under one: "nastiest" in one article) says nothing by its
    absence, unless such words outnumber the question's `found` words ("how long do i boil an
    egg" is about eggs). Otherwise one such word (slang, a verb form) cannot veto, while several
    say the question is about something else. Names are never among them (they decline).
    """
    everyday = [g for g in unknown if not g.name]
    manner = [g for g in everyday if _is_manner_word(g.surface)]
    rest = [g for g in everyday if g not in manner]
    if follow_up:
        return manner + rest
    unexpected = [g for g in rest
                  if words is not None and everyday_frequency(g.surface) * words < 1]
    expected = [g for g in rest if g not in unexpected]
    if len(unexpected) > found:
        unexpected, expected = [], rest
    return manner + unexpected + (expected if len(expected) == 1 else [])


def why_declined(index: Index, topics: Topics, settings: SearchSettings, *, question: str,
                 asked: Query, unknown: list[TermGroup], passages: list[Passage],
                 coverage: float, follow_up: bool,
                 judged: Query | None) -> tuple[str | None, str | None]:
    """Why the passages are no answer and what none holds, or (None, None) to answer.

    `asked`: the question as searched before a follow-up's carried words; `judged`: a
    follow-up with them (index/conversation_search.judged_query).
    """
    abstention = _abstention(unknown, bool(passages), coverage, settings)
    if abstention is not None:
        return abstention, None
    abstention, missing = _unanswered(index, asked, unknown, passages, settings,
                                      follow_up=follow_up, near=judged)
    if follow_up and abstention is None:
        return _follow_up_unanswered(index, topics, settings, question, asked, unknown, passages)
    # Asked alone, "how many crew were on the Dashan" is judged like a follow-up's count.
    if abstention is None and settings.standalone_counts \
            and named_but_uncounted(question, [p.text for p in passages]):
        return "partly_covered", "the number asked for"
    return abstention, missing


def best_coverage(index: Index, settings: SearchSettings, rows: tuple[int, int], query: Query,
                  judged: Query | None, row: int, scored: float) -> float:
    """How much of the question the best sentence (`row`, `scored` as searched) covers.

    `query` is what was searched; a follow-up may also be judged with the words it carries
    (`judged`, index/conversation_search.judged_query).
    """
    coverage = scored
    if judged is not None:
        coverage = max(coverage, coverage_at(index, judged, settings, row, rows))
    if settings.relation_leniency and coverage < settings.min_coverage:
        coverage = max(coverage, _coverage_but_verb(index, query, settings, row, rows))
    return coverage


def _follow_up_unanswered(index: Index, topics: Topics, settings: SearchSettings, question: str,
                          asked: Query, unknown: list[TermGroup],
                          passages: list[Passage]) -> tuple[str | None, str | None]:
    """Why a follow-up's passages do not answer it: what it names, the doer or the count it asks.

    "and france?": the words carried found the passages and none names France; "who designed
    those reactors?": see index/answer_type.doer_unstated; "how many polling stations would they
    need?": no shown passage gives a number of polling stations (index/counting).
    """
    unshown = unshown_names(index, asked, passages, topics.parties) \
        if settings.follow_up_names else ()
    if unshown:
        return "partly_covered", f"anything on {unshown[0].surface}"
    if doer_unstated(question, [g.surface for g in unknown], [p.text for p in passages[:1]]):
        return "off_topic", None
    counted = count_test(question) if settings.follow_up_counts else None
    if counted is not None and not any(counted(p.text) for p in passages):
        return "partly_covered", "the number asked for"
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


def _unknown_groups(index: Index, query: Query) -> list[TermGroup]:
    """The question's words that occur nowhere in the sources: text, headings, titles."""
    found = [index.uses_any(t for t, _ in g.terms) for g in query.groups]
    # A compound ("counter-offer") is known when one of its parts is: its joined form is not.
    known_words = {g.surface for g, f in zip(query.groups, found, strict=True) if f}
    return [g for g, f in zip(query.groups, found, strict=True)
            if g.required and not f and g.surface not in known_words]


def _is_manner_word(surface: str) -> bool:
    """Whether a word is an adverb in -ly ("realistically"): a word of manner, not of topic."""
    word = surface.lower()
    return len(word) >= 6 and word.endswith("ly") and word.isalpha()
