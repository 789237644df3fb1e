"""What a "how many" / "how much" question counts, and whether a passage gives a number of it.

"how many soldiers would France send" is answered by "up to 10,000 troops", not by a passage on
France's plans that gives other numbers. The thing counted is the words after "how many" up to
the first function word ("are", "would", "in"), each with its synonyms (data/synonyms.txt); a
count of people in general ("how many people", "how many Russians") is given by a count of any
people ("about 11,000 residents", "155,000 troops"). A passage gives a number of the thing when a
number (digits or a number word; days and years are no count) stands at most COUNT_REACH words
before one of its words, in the same clause. "how much oil" is read the same way ("$70m worth of
oil"), and "how much money" (cash, funds) is given by any sum of money.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
# "an army of up to 800,000", "a crew of 13": the words between a thing and its number.
_OF_NUMBER = frozenset({"of", "up", "to", "about", "around", "roughly", "nearly", "almost", "some",
                        "over", "more", "than", "at", "least", "just", "under", "only"})
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*", re.UNICODE)
# People in general (stems), and the words a count of people is given in.
_ANYONE = frozenset({"peopl", "person", "ppl", "folk", "individu"})
# "how much money / cash": a sum in any currency answers it ("roughly $100m passed through").
_MONEY_WORDS = ("money", "cash", "funds", "funding", "dollars", "euros", "pounds", "roubles")
_SUM_RE = re.compile(
    r"[$€£₴]\s?\d"  # $100m, €210bn
    r"|\d[\d,.]*\s*(?:bn|tn)\b"  # 8.48bn (not "m" alone: metres)
    r"|\d[\d,.]*(?:\s*(?:bn|m|tn)|\s+(?:thousand|million|billion|trillion))?\s+"
    r"(?:dollars?|euros?|pounds?|roubles?|rubles?|hryvnias?)\b", re.I)
_HOW_MUCH_RE = re.compile(r"\bhow much\s+(.*)", re.I)
# "how much longer / else / time": not a quantity of a thing.
_NOT_A_THING = frozenset({"longer", "else", "time", "worse", "better", "bigger", "larger",
                          "farther", "sooner", "later"})
_PEOPLE_WORDS = ("people", "persons", "residents", "inhabitants", "civilians", "citizens",
                 "troops", "soldiers", "servicemen", "fighters", "men", "women", "children",
                 "sailors", "crew")


@lru_cache(maxsize=1024)  # a question is read again for each passage
def counted_thing(question: str) -> frozenset[str]:
    """The terms (stems, with their synonyms) of what "how many …" counts; empty if none."""
    match = _HOW_MANY_RE.search(question)
    return _counted(question, _thing_words(match.group(1))) if match else frozenset()


def _counted(question: str, words: list[str]) -> frozenset[str]:
    """The words' terms with their synonyms; a count of people in general for people or a people."""
    terms = _terms(words)
    thing = _with_synonyms(question, terms)
    if terms & _ANYONE or any(is_place(t) for t in terms):  # "people", "Russians"
        thing |= _people()
    return thing


def _thing_words(rest: str) -> list[str]:
    """The words after "how many" / "how much", up to the first function word."""
    words: list[str] = []
    for word in _WORD_RE.findall(rest):
        if word.lower() in stopwords():  # "are", "did", "in", "they": the thing has ended
            break
        words.append(word)
    return words


def _terms(words: list[str]) -> set[str]:
    """The words' index terms."""
    return {t for word in words for t in tokenize(word)}


def _with_synonyms(question: str, terms: set[str]) -> frozenset[str]:
    """The terms and each one's synonyms (data/synonyms.txt)."""
    asked = tokenize(question)
    return frozenset(terms.union(*(synonyms(t, asked) for t in terms)))


@lru_cache(maxsize=1)
def _money() -> frozenset[str]:
    """The stems of the words that ask for a sum of money."""
    return frozenset(t for word in _MONEY_WORDS for t in tokenize(word))


@lru_cache(maxsize=1)
def _people() -> frozenset[str]:
    """The stems of the words a count of people is given in."""
    return frozenset(t for word in _PEOPLE_WORDS for t in tokenize(word))


def counts(thing: frozenset[str], text: str) -> bool:
    """Whether `text` gives a number of `thing`: in one clause, at most COUNT_REACH words before."""
    return any(_counts_in(thing, clause)
               for clause in _CLAUSE_RE.split(DAY_OR_YEAR_RE.sub(" ", text)))


def _counts_in(thing: frozenset[str], clause: str) -> bool:
    """counts() in one clause, up to a conjunction ("8.5 trillion roubles and troops": none).

    The number may also follow the thing through "of" ("an army of up to 800,000").
    """
    last_number = -COUNT_REACH - 1
    since_thing: list[str] | None = None  # the words after the last word of the thing
    for at, word in enumerate(_WORD_RE.findall(clause)):
        if NUMBER_RE.match(word):
            if since_thing and since_thing[0] == "of" and set(since_thing) <= _OF_NUMBER:
                return True
            last_number, since_thing = at, None
        elif word.lower() in _CONJUNCTIONS:
            last_number, since_thing = -COUNT_REACH - 1, None
        elif thing.intersection(tokenize(word)):
            if at - last_number <= COUNT_REACH:
                return True
            since_thing = []
        elif since_thing is not None:
            since_thing.append(word.lower())
    return False


@lru_cache(maxsize=1024)
def measured_thing(question: str) -> frozenset[str]:
    """The terms of what "how much …" measures ("how much oil", "how much cash"); empty if none.

    Not "how much of the Donbas" (a share: "most of", "75%"), "how much did they spend" (the
    thing is not named) or "how much longer" (a time or a comparison, not a quantity).
    """
    match = _HOW_MUCH_RE.search(question)
    if match is None:
        return frozenset()
    words = _thing_words(match.group(1))
    if not words or any(w.lower() in _NOT_A_THING for w in words):
        return frozenset()
    return _with_synonyms(question, _terms(words))


def count_test(question: str) -> Callable[[str], bool] | None:
    """A test of a passage's text: does it give a number of what the question counts or measures.

    For money, any sum in any currency's words; None when the question asks for neither.
    """
    thing = counted_thing(question) or measured_thing(question)
    if not thing:
        return None
    if thing & _money():
        return lambda text: bool(_SUM_RE.search(text))
    return lambda text: counts(thing, text)


def named_but_uncounted(question: str, texts: Sequence[str]) -> bool:
    """Whether the texts name what a "how many" question counts but give no number of it.

    "how many crew were on the Dashan": the crew are mentioned, never counted. The thing is
    judged by its last word ("how many backup diesel gens": "gens"); texts that never name it may
    say it in other words ("generators"), so they are not judged. "how much" is not judged: its
    answer is often no number ("only limited fuel", "most of the region").
    """
    thing = counted_thing(question)
    match = _HOW_MANY_RE.search(question)
    words = _thing_words(match.group(1)) if match and thing else []
    if not words:
        return False
    head = _counted(question, words[-1:])
    return (any(head.intersection(tokenize(text)) for text in texts)
            and not any(counts(thing, text) for text in texts))
