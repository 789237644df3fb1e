"""What a "how many" question counts, and whether a passage gives a number of it.

"how many soldiers would France send" is answered by "up to 10,000 troops", not by a passage on
France's plans that gives other numbers. The thing counted is the words after "how many" up to
the first function word ("are", "would", "in"), each with its synonyms (data/synonyms.txt); a
count of people in general ("how many people", "how many Russians") is given by a count of any
people ("about 11,000 residents", "155,000 troops"). A passage gives a number of the thing when a
number (digits or a number word; days and years are no count) stands at most COUNT_REACH words
before one of its words, in the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .cues import DAY_OR_YEAR_RE, NUMBER_RE
from .names import is_place
from .synonyms import synonyms
from .tokens import stopwords, tokenize

# Words between a number and what it counts: "155,000 [Russian] troops", "the third [such
# temporary] truce", "six [nuclear] reactors". Not tuned: one more than the longest such run seen.
COUNT_REACH = 4
_HOW_MANY_RE = re.compile(r"\bhow many\s+(?:of (?:these|those|the|them)\s+)?(.*)", re.I)
# A comma (not one inside "155,000"), a colon, a semicolon, a bracket or a dash ends a clause.
_CLAUSE_RE = re.compile(r",(?!\d)|[;:()\u2013\u2014]|\s-\s")
_CONJUNCTIONS = frozenset({"and", "or", "but", "nor", "while", "whereas"})
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*", re.UNICODE)
# People in general (stems), and the words a count of people is given in.
_ANYONE = frozenset({"peopl", "person", "ppl", "folk", "individu"})
_PEOPLE_WORDS = ("people", "persons", "residents", "inhabitants", "civilians", "citizens",
                 "troops", "soldiers", "servicemen", "fighters", "men", "women", "children",
                 "sailors", "crew")


@lru_cache(maxsize=1024)  # a question is read again for each passage
def counted_thing(question: str) -> frozenset[str]:
    """The terms (stems, with their synonyms) of what "how many …" counts; empty if none."""
    match = _HOW_MANY_RE.search(question)
    if match is None:
        return frozenset()
    words: list[str] = []
    for word in _WORD_RE.findall(match.group(1)):
        if word.lower() in stopwords():  # "are", "did", "in", "they": the thing has ended
            break
        words.append(word)
    terms = {t for word in words for t in tokenize(word)}
    asked = tokenize(question)
    thing = terms.union(*(synonyms(t, asked) for t in terms))
    if terms & _ANYONE or any(is_place(t) for t in terms):  # "people", "Russians"
        thing |= _people()
    return frozenset(thing)


@lru_cache(maxsize=1)
def _people() -> frozenset[str]:
    """The stems of the words a count of people is given in."""
    return frozenset(t for word in _PEOPLE_WORDS for t in tokenize(word))


def counts(thing: frozenset[str], text: str) -> bool:
    """Whether `text` gives a number of `thing`: in one clause, at most COUNT_REACH words before."""
    return any(_counts_in(thing, clause)
               for clause in _CLAUSE_RE.split(DAY_OR_YEAR_RE.sub(" ", text)))


def _counts_in(thing: frozenset[str], clause: str) -> bool:
    """counts() in one clause, up to a conjunction ("8.5 trillion roubles and troops": none)."""
    last_number = -COUNT_REACH - 1
    for at, word in enumerate(_WORD_RE.findall(clause)):
        if NUMBER_RE.match(word):
            last_number = at
        elif word.lower() in _CONJUNCTIONS:
            last_number = -COUNT_REACH - 1
        elif at - last_number <= COUNT_REACH and thing.intersection(tokenize(word)):
            return True
    return False


def count_test(question: str) -> Callable[[str], bool] | None:
    """A test of a passage's text: does it give a number of what the question counts (or None)."""
    thing = counted_thing(question)
    if not thing:
        return None
    return lambda text: counts(thing, text)
