"""An acronym the sources spell out: "ISW" for "Institute for the Study of War", "NGOs", "VAT".

News writes an organisation or a term out in full as often as by its initials, and a question
types whichever its asker knows. A question word the sources never use that looks like an
acronym is looked for, spelt out, in the passages the question's other words find (a phrase
whose words' initials spell it, small words such as "of" and "the" skipped, a compound's parts
counted apart: "non-governmental organisations" spells NGO). Found, it is searched as the
phrase's rarest word, so it is neither an unknown word weighing against coverage nor a name no
source mentions. The map is read off the sources themselves: no list to keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from .corpus import Index
from .evidence import group_idf
from .query import Query, TermGroup
from .tokens import tokenize_phrase

_MIN_LETTERS, _MAX_LETTERS = 2, 6
# Small words an acronym leaves out: "Institute for the Study of War" is ISW.
_SKIPPED = frozenset({"of", "the", "for", "and", "on", "in", "at", "to", "de", "du", "a", "an",
                      "&"})


def acronym_letters(surface: str) -> tuple[str, ...]:
    """The letters an acronym-like word may stand for ("ngos": "ngos", "ngo"; none: no acronym).

    Letters only, 2–6 of them, a trailing plural "s" possibly dropped ("NGOs", "ngos").
    """
    word = surface.split("'")[0].lower()
    if not word.isalpha():
        return ()
    forms = (word, word[:-1]) if word.endswith("s") else (word,)
    return tuple(f for f in forms if _MIN_LETTERS <= len(f) <= _MAX_LETTERS)


def expansion(text: str, letters: str) -> tuple[str, ...] | None:
    """The words of a phrase in `text` whose initials spell `letters` (None: none does).

    The phrase is a name (its words capitalised: "Institute for the Study of War") or a term
    with a compound in it ("non-governmental organisations", "value-added tax"), so that a run
    of everyday words that happens to spell it does not count.
    """
    for match in _phrase_re(letters).finditer(text):
        spans = [match.span(f"w{i}") for i in range(len(letters))]
        words = tuple(text[a:b] for a, b in spans)
        joined = any("-" in text[spans[i - 1][1]:spans[i][0]] for i in range(1, len(spans)))
        if joined or all(w[0].isupper() for w in words):
            return words
    return None


_WORD = r"[^\W\d_]*"
_BETWEEN = rf"(?:[\s-]+(?:{'|'.join(sorted(_SKIPPED - {'&'}))}|&)(?=[\s-]))*[\s-]+"


@cache
def _phrase_re(letters: str) -> re.Pattern[str]:
    """A phrase whose words start with these letters in turn, small words between skipped."""
    parts = [rf"(?P<w{i}>{re.escape(letter)}{_WORD})" for i, letter in enumerate(letters)]
    # A lookahead finds every start, overlapping ones too; each word ends at a word's end.
    body = _BETWEEN.join(rf"{part}\b" for part in parts)
    return re.compile(rf"(?<![^\W_])(?=({body}))", re.IGNORECASE)


@cache
def _ascii_phrase_re(letters: str) -> re.Pattern[str]:
    """Where _phrase_re finds a phrase in an ASCII text, found ~3x faster (ASCII letters only).

    The first letter is matched by case, as an ASCII text can spell it only in its two cases:
    the search then skips to the next place that letter is, instead of trying every place.
    """
    first = f"(?-i:[{letters[0]}{letters[0].upper()}])(?<![^\\W_].){_WORD}"
    words = [first, *(f"{re.escape(letter)}{_WORD}" for letter in letters[1:])]
    return re.compile(_BETWEEN.join(rf"{word}\b" for word in words), re.IGNORECASE)


def with_acronyms(index: Index, query: Query, texts: Iterable[str], weight: float) -> Query:
    """The query with each unknown acronym-like word's spelt-out form (in `texts`) as its name.

    The alternative is the phrase's rarest word in the sources: "institut" for ISW.
    """
    pending = {g.term: forms for g in query.groups
               if (forms := acronym_letters(g.surface))
               and not index.uses_any(t for t, _ in g.terms)}
    if not pending:
        return query
    texts = list(texts)
    if not _may_spell(texts, pending.values()):
        return query
    found: dict[str, str] = {}
    for text in texts:
        for term, forms in pending.items():
            words = next((w for f in forms if (w := expansion(text, f))), None)
            if term not in found and words and (rarest := _rarest(index, words)):
                found[term] = rarest
        if len(found) == len(pending):
            break
    if not found:
        return query
    groups = tuple(replace(g, alternatives=(*g.alternatives, (found[g.term], weight)), name=False)
                   if g.term in found else g for g in query.groups)
    return replace(query, groups=groups)


def _may_spell(texts: list[str], forms: Iterable[tuple[str, ...]]) -> bool:
    """Whether a phrase in one of `texts` may spell one of the forms (False: none can).

    One search of all the texts at once, instead of one per text and form: most questions'
    unknown words spell nothing. A match never spans the NUL between two texts.
    """
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:  # a text holds a NUL itself: look text by text
        return True
    ascii_text = joined.isascii()
    return any((_ascii_phrase_re(f) if ascii_text and f.isascii() else _phrase_re(f)).search(joined)
               for fs in forms for f in fs)


def _rarest(index: Index, words: Iterable[str]) -> str | None:
    """The phrase's term with the highest idf in the sources (None: none is indexed)."""
    terms = {t for w in words for t in tokenize_phrase(w)}
    weighed = [(group_idf(index, TermGroup(term=t, surface=t)), t) for t in sorted(terms)]
    best = max(weighed, default=(0.0, ""))
    return best[1] if best[0] > 0 else None

