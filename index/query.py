"""Question → Query: content terms, party aliases, sticking-point expansion, answer type cue."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from .chat_words import is_chat_word
from .cues import Feature, expected_features, frame_words
from .names import looks_like_name, place_alternatives, with_country_case
from .settings import SearchSettings
from .synonyms import synonyms
from .tokens import spans
from .topics import Party, Topics


@dataclass(frozen=True, kw_only=True)
class TermGroup:
    """One thing the question asks about: a term, and other terms that count for it (discounted)."""

    term: str
    surface: str
    alternatives: tuple[tuple[str, float], ...] = ()
    weight: float = 1.0
    required: bool = True  # counts toward coverage (expansions do not)
    must: bool = False  # a passage has to match it (a chosen side)
    party: bool = False  # names a party: a sentence about it is preferred (party_focus)
    name: bool = False  # names someone or something: unknown to the sources, it is off-topic

    @cached_property  # read ~140 times a question: made once (cached_property bypasses frozen)
    def terms(self) -> tuple[tuple[str, float], ...]:
        """The term itself at full strength, then its alternatives."""
        return ((self.term, 1.0), *self.alternatives)


@dataclass(frozen=True, kw_only=True)
class Query:
    """A parsed question."""

    text: str
    groups: tuple[TermGroup, ...]
    expects: Feature = Feature.NONE


_ORDINAL_RE = re.compile(r"\d(?:st|nd|rd|th)", re.I)


def _words(question: str) -> list[tuple[str, str]]:
    """(term, surface word) pairs in question order, each term once."""
    return [(t, s) for t, s, _ in _located_words(question)]


def _located_words(question: str) -> list[tuple[str, str, bool]]:
    """(term, surface word, whether it is the question's first word), each term once."""
    seen: dict[str, tuple[str, bool]] = {}
    found = spans(question)
    first_start = found[0][0] if found else 0
    for start, end, terms in found:
        if is_chat_word(question[start:end]):  # "w", "tho", "gonna": no topic, like "with"
            continue
        if _ORDINAL_RE.fullmatch(question[max(0, start - 1):end]):
            # The ending of "3rd": alone it names nothing (the number is searched, and its word,
            # "third", with it: abbreviations.with_ordinal_words).
            continue
        for term in terms:
            seen.setdefault(term, (question[start:end], start == first_start))
    return [(t, s, f) for t, (s, f) in seen.items()]


def _party_for(term: str, terms: set[str], parties: tuple[Party, ...]) -> Party | None:
    """The party a query term names, alone or as the first word of a multi-word name."""
    for party in parties:
        if term in party.alias_terms:
            return party
        if any(len(p) > 1 and p[0] == term and set(p) <= terms for p in party.phrases):
            return party
    return None


def _group(term: str, surface: str, terms: set[str], topics: Topics,
           settings: SearchSettings, weight: float = 1.0, required: bool = True,
           first: bool = False) -> TermGroup:
    """A term's group, with its party's other names and its country's names as alternatives."""
    party = _party_for(term, terms, topics.parties)
    names = set(party.alias_terms) if party else set()
    if settings.place_folding:
        names.update(place_alternatives(term))
    alternatives = tuple((a, settings.alias_weight) for a in sorted(names - {term})) \
        if settings.alias_weight else ()
    if settings.synonym_weight:  # paraphrase: counts less than the word or a name for it
        known = {term, *(a for a, _ in alternatives)}
        alternatives += tuple((s, settings.synonym_weight) for s in synonyms(term, terms)
                              if s not in known)
    return TermGroup(term=term, surface=surface, alternatives=alternatives, weight=weight,
                     required=required, party=party is not None,
                     name=looks_like_name(surface, term, first))


def _unframed(groups: list[TermGroup], question: str, settings: SearchSettings) -> list[TermGroup]:
    """Groups with the question's framing words discounted (kept whole if nothing else is left)."""
    frame = frame_words(question) if settings.frame_discount else frozenset()
    if not frame or all(g.surface.lower() in frame for g in groups):
        return groups
    keep = 1.0 - settings.frame_discount
    out = []
    for g in groups:
        if g.surface.lower() not in frame:
            out.append(g)
        elif keep > 0:  # framing never decides whether the sources cover a question
            out.append(replace(g, weight=g.weight * keep, required=False))
    return out


def _side_terms(side: Party) -> list[str]:
    """The terms that name a side: its one-word names, else the words of its longer names."""
    return sorted(side.alias_terms or {t for phrase in side.phrases for t in phrase})


def parse_query(question: str, topics: Topics, settings: SearchSettings,
                extra: str = "", side: Party | None = None) -> Query:
    """Analyse a question; `extra` is an issue's defining terms, `side` a party to be about."""
    question = with_country_case(question)  # "the us plan": the country, not the pronoun
    located = _located_words(question)  # read once: words, terms and groups come from it
    words = [(t, s) for t, s, _ in located]
    terms = {t for t, _ in words}
    groups = _unframed([_group(t, s, terms, topics, settings, first=f)
                        for t, s, f in located], question, settings)
    # An issue's terms: the query itself when no question narrows it, else an expansion of it.
    for term, surface in _words(extra):
        if term not in terms:
            groups.append(_group(term, surface, terms, topics, settings,
                                 weight=1.0 if not words else settings.alias_weight,
                                 required=not words))
            terms.add(term)
    names = _side_terms(side) if side is not None else []
    if side is not None and names:  # a side no word of which is indexable narrows nothing
        groups.append(TermGroup(term=names[0], surface=side.name,
                                alternatives=tuple((a, 1.0) for a in names[1:]),
                                required=False, must=True))
    expects = expected_features(question) if settings.cue_boost else Feature.NONE
    if not settings.reason_cue:
        expects &= ~Feature.REASON
    return Query(text=question, groups=tuple(groups), expects=expects)
