"""Sentence splitting with nltk's Punkt: the `punkt_tab` model if installed, else offline.

nltk is imported only when a text is split (its package import alone costs ~0.12 s): answering a
question from a built index never splits, and the model's identity is read from its files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

log = logging.getLogger(__name__)
MODEL = Path("tokenizers") / "punkt_tab" / "english"

# Abbreviations that must not end a sentence (lowercase, no last period: as Punkt keeps them).
ABBREVIATIONS = frozenset((
    "u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "a.m", "p.m", "e.g", "i.e", "etc", "vs", "cf",
    "al", "approx", "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr",
    "adm", "sgt", "cpl", "pvt", "gov", "sen", "rep", "pres", "amb", "rev", "hon", "st", "jr",
    "sr", "messrs", "mt", "ft", "inc", "ltd", "co", "corp", "plc", "bros", "dept", "univ",
    "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
))


def _data_roots() -> list[Path]:
    """Where nltk looks for its data by default (nltk.data.path, without importing nltk)."""
    roots = [Path(d) for d in os.environ.get("NLTK_DATA", "").split(os.pathsep) if d]
    if os.path.expanduser("~/") != "~/":
        roots.append(Path(os.path.expanduser("~/nltk_data")))
    prefix = Path(sys.prefix)
    roots += [prefix / "nltk_data", prefix / "share" / "nltk_data", prefix / "lib" / "nltk_data",
              Path("/usr/share/nltk_data"), Path("/usr/local/share/nltk_data"),
              Path("/usr/lib/nltk_data"), Path("/usr/local/lib/nltk_data")]
    return roots


@cache
def _model_dir() -> Path | None:
    """The installed `punkt_tab` English model folder, if any (the first root that has it)."""
    for root in _data_roots():
        if (root / MODEL / "abbrev_types.txt").is_file():
            return root / MODEL
    return None


@cache
def splitter_id() -> str:
    """What splits sentences: `punkt-offline`, or `punkt_tab:` and a hash of the model's files."""
    model = _model_dir()
    if model is None:
        return "punkt-offline"
    digest = hashlib.sha256()
    for path in sorted(model.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"punkt_tab:{digest.hexdigest()[:16]}"


@cache
def _tokenizer() -> PunktSentenceTokenizer:
    """The Punkt tokenizer: the installed model with our abbreviations, else ours alone."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, load_punkt_params

    model = _model_dir()
    if model is not None:
        params = load_punkt_params(str(model))
        params.abbrev_types.update(ABBREVIATIONS)
        return PunktSentenceTokenizer(params)
    # No model installed: Punkt with our own abbreviations; never download at run time.
    log.debug("nltk punkt_tab not installed; using the offline Punkt parameters")
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, each stripped and word for word from the input."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    sentences: list[str] = []
    for piece in _tokenizer().tokenize(text):
        piece = piece.strip()
        # Punkt always breaks after '?' and '!', even in `"Why?" he asked.`: a sentence never
        # starts in lowercase, so such a piece belongs to the one before.
        if sentences and piece[:1].islower():
            sentences[-1] = f"{sentences[-1]} {piece}"
        elif piece:
            sentences.append(piece)
    return sentences
