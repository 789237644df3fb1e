"""Sentence splitting with nltk's Punkt: the `punkt_tab` model if installed, else offline."""

from __future__ import annotations

import logging
from functools import cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

log = logging.getLogger(__name__)

# Abbreviations that must not end a sentence (lowercase, no last period: as Punkt keeps them).
ABBREVIATIONS = frozenset((
    "u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "a.m", "p.m", "e.g", "i.e", "etc", "vs", "cf",
    "al", "approx", "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr",
    "adm", "sgt", "cpl", "pvt", "gov", "sen", "rep", "pres", "amb", "rev", "hon", "st", "jr",
    "sr", "messrs", "mt", "ft", "inc", "ltd", "co", "corp", "plc", "bros", "dept", "univ",
    "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
))


@cache
def _tokenizer() -> tuple[PunktSentenceTokenizer, str]:
    """The Punkt tokenizer to use and a name for it (part of the index's tokenizer version)."""
    try:
        from nltk.tokenize import PunktTokenizer

        trained = PunktTokenizer("english")
        trained._params.abbrev_types.update(ABBREVIATIONS)
        return trained, "punkt_tab"
    except (LookupError, ImportError, OSError, ValueError):
        # No model installed: Punkt with our own abbreviations; never download at run time.
        log.debug("nltk punkt_tab not installed; using the offline Punkt parameters")
        params = PunktParameters()
        params.abbrev_types = set(ABBREVIATIONS)
        return PunktSentenceTokenizer(params), "punkt-offline"


def splitter_name() -> str:
    """Which Punkt model is in use: `punkt_tab` or `punkt-offline`."""
    return _tokenizer()[1]


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, each stripped and word for word from the input."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    sentences: list[str] = []
    for piece in _tokenizer()[0].tokenize(text):
        piece = piece.strip()
        # Punkt always breaks after '?' and '!', even in `"Why?" he asked.`: a sentence never
        # starts in lowercase, so such a piece belongs to the one before.
        if sentences and piece[:1].islower():
            sentences[-1] = f"{sentences[-1]} {piece}"
        elif piece:
            sentences.append(piece)
    return sentences
