"""Passages about whom or what the question names come first.

A question naming someone or something ("why did yermak get pushed out", "how long are the power
cuts in kyiv") is answered by a passage about that name. BM25 may put first a sentence that
matches the question's other words ("pushed onto the agenda") in a report that never mentions
the name. A passage holds the name when it says it, or its title or heading does, or any sentence
of its section does: a section about the Zaporizhzhia plant calls it "the plant" or "it" most of
the time, and those sentences are about it. Among the best twelve passages (answer.NAMING_POOL, or
twice the passages asked for if more), those holding every name go first (in their order), then
the others.

A name is a question word typed capitalised or naming a place (names.looks_like_name), or a word
the sources themselves write capitalised inside a sentence ("yermak", typed in lowercase, is
"Yermak" wherever the sources say it). A party ("russia", "moscow") is left out: every passage of
a report on the story is about one party or another, whether or not it says its name.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from .corpus import UNKNOWN_PLACE, Index, remembered
from .cues import _MONTHS
from .models import Passage
from .names import place_alternatives
from .query import Query, TermGroup
from .shown import shown_text

# How many of a word's sentences are read to tell whether the sources write it as a name.
_SENTENCES_READ = 4
_KEPT_WORDS = 1 << 14


def names_asked(index: Index, asked: Query, searched: Query) -> list[TermGroup]:
    """The groups naming someone or something the sources mention, that passages should hold.

    The question's own required words (`asked`); for a follow-up also the words it carries from
    earlier turns (the groups `searched` adds): a conversation about Yermak stays about him.
    """
    groups = [*(g for g in asked.groups if g.required), *searched.groups[len(asked.groups):]]
    return [g for g in groups if not g.party
            and index.uses_any(t for t, _ in g.terms) and not _DAY_NAME_RE.match(g.surface)
            and (g.name or written_as_name(index, g.term))]


# A month or a day is written capitalised but names when, not what: a report on the fact may
# never give its date.
_DAY_NAME_RE = re.compile(rf"(?:{_MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|"
                          r"sunday|christmas|easter)\.?$", re.I)


def written_as_name(index: Index, term: str) -> bool:
    """Whether the sources write a term capitalised wherever it is inside a sentence."""
    memo: dict[str, bool] = index.derive("written as name", dict)
    return remembered(memo, term, lambda: _written_as_name(index, term), _KEPT_WORDS)


def _written_as_name(index: Index, term: str) -> bool:
    """written_as_name, read off the first sentences that hold the term."""
    postings = index.postings
    term_id = postings.vocab.get(term)
    if term_id is None:
        return False
    inside = 0
    for row in postings.ids[postings.span(term)][:_SENTENCES_READ].tolist():
        first = int(index.token_first[row])
        at = np.flatnonzero(index.row_terms[first:int(index.token_first[row + 1])] == term_id)
        at = at[at > 0]  # a sentence's first word is capitalised whatever it is
        if not len(at):
            continue
        sentence = index.sentence(row)
        for start, end in index.row_places[first + at].tolist():
            if end == UNKNOWN_PLACE or not sentence[:start].strip(" \"'“‘([—-"):
                continue  # after an opening quote or dash: the first word still
            if not sentence[start:start + 1].isupper():
                return False  # once in lowercase inside a sentence: an everyday word
            inside += 1
    return inside > 0


def holding(index: Index, names: list[TermGroup], passages: list[Passage]) -> list[bool]:
    """Per passage: whether it holds every name (in any of its forms)."""
    forms = [frozenset({*(t for t, _ in g.terms), *place_alternatives(g.term)}) for g in names]
    return [all(_holds(index, p, f) for f in forms) for p in passages]


def naming_first(index: Index, names: list[TermGroup], pool: list[Passage],
                 top: int) -> list[Passage] | None:
    """The best `top` of the pool, those holding every name first (None: none holds them all)."""
    held = holding(index, names, pool)
    if not any(held):
        return None
    ordered = [p for p, h in zip(pool, held, strict=True) if h] + \
        [p for p, h in zip(pool, held, strict=True) if not h]
    return [replace(p, rank=i) for i, p in enumerate(ordered[:top], start=1)]


def _holds(index: Index, passage: Passage, forms: frozenset[str]) -> bool:
    """Whether the passage, its title or heading, or any sentence of its section says a form."""
    shown = shown_text(index, passage)
    if any(shown.holds(t) for t in forms):
        return True
    section = int(index.sent_section[passage.sentence_ids[passage.match_offset]])
    first, stop = (int(r) for r in index.section_first[section:section + 2])
    postings = index.postings
    for term in forms:
        rows = postings.ids[postings.span(term)]
        at = int(np.searchsorted(rows, first))
        if at < len(rows) and rows[at] < stop:
            return True
    return False
