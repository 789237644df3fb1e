"""The one tokenizer, for documents and queries alike: words → normalised, stemmed index terms.

Stems are nltk's Snowball English stems. nltk is imported on the first word no saved index has
stemmed before (its package import costs ~0.12 s): an index saves the stems its build computed
(`known_stems`), and a process serving it offers them (`offer_stems`) before any question.
An index is only offered when its tokenizer identity (build.tokenizer_id) is this code's.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_UNITS = {"bn": "bn", "billion": "bn", "m": "m", "million": "m", "tn": "tn", "trillion": "tn",
          "k": "k", "thousand": "k"}
_NUM = r"\d[\d,]*(?:\.\d+)?"
# Combining marks left after NFKC (no precomposed letter has them: "zalgo" text, some scripts'
# vowel signs) belong to the letter before them, so a word is not cut into fragments there.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0903" \
    "\u093a-\u093c\u093e-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LETTERS = rf"(?:[^\W\d_][{_MARKS}]*)+"  # unambiguous (marks are not letters): no backtracking


def _token_pattern(letters: str, space: str) -> str:
    """The tokenizer's pattern, with how a run of letters and a whitespace character are written."""
    return rf"""
    (?P<usa>\bU\.S\.(?:A\.)?|\bUSA?\b|\b[Uu]nited{space}+[Ss]tates\b)       # the country, not "us"
  | (?P<money>[$£€¥]{space}?{_NUM}(?:{space}?(?:bn|billion|tn|trillion|m|million|k|thousand)\b)?
      |{_NUM}{space}?(?:bn|billion|tn|trillion|million|thousand)\b)
  | (?P<percent>{_NUM}{space}?(?:%|percent\b|per{space}?cent\b))
  | (?P<number>{_NUM})
  | (?P<word>{letters}(?:['’]{letters})*(?:-{letters}(?:['’]{letters})*)*)
    """


_TOKEN_RE = re.compile(_token_pattern(_LETTERS, r"\s"), re.VERBOSE)
# The same tokens in an ASCII text, found twice as fast: no combining marks to look for after
# each letter, and ASCII classes (Unicode's \s also holds \x1c-\x1f; the rest agree on ASCII).
_ASCII_TOKEN_RE = re.compile(_token_pattern(r"[^\W\d_]+", r"[\s\x1c-\x1f]"),
                             re.VERBOSE | re.ASCII)
_DASHES = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-"})

# British spellings → American, so either finds the other. The -ise/-yse rule covers most verbs;
# the list covers the rest. Applied to documents and queries alike, so a harmless over-match
# ("promise" → "promize") changes nothing that could be found.
_SPELLING = {
    **{w + "our": w + "or" for w in ("col", "flav", "fav", "hon", "hum", "lab", "neighb", "rum",
                                     "behavi", "harb", "vig", "endeav", "arm", "sav", "val", "od",
                                     "vap", "parl", "savi", "splend", "tum")},
    **{w + "re": w + "er" for w in ("cent", "met", "theat", "fib", "lit", "calib", "somb",
                                    "spect", "lust", "meag", "sab")},
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "programme": "program", "programmes": "programs", "grey": "gray", "kiev": "kyiv",
    **{w + "led": w + "ed" for w in ("travel", "cancel", "label", "model", "fuel", "signal",
                                     "channel", "counsel", "level")},
    **{w + "ling": w + "ing" for w in ("travel", "cancel", "label", "model", "fuel", "signal",
                                       "channel", "counsel", "level")},
}
# Word forms Snowball leaves apart although a question and its answer use them interchangeably:
# the noun of a measure and its adjective ("how deep" / "a depth of"), birth and death and their
# verbs, the doer and the deed. Small and general on purpose (set on our own encyclopedia_dev).
_FOLD = {"depth": "deep", "height": "high", "length": "long", "width": "wide", "birth": "born",
         "death": "died", "dead": "died",
         "founder": "founded", "founders": "founded", "inventor": "invented",
         "inventors": "invented", "discoverer": "discovered", "creator": "created",
         "creators": "created", "composer": "composed"}
_ISE_RE = re.compile(r"^(\w{3,}[^aeiouy\W])(is|ys)(e|ed|es|ing|ation|ations|er|ers)$")
_STEMS: dict[str, str] = {}  # word → nltk's stem: computed here, or read from an offered file
_OFFERED: list[tuple[Path, str]] = []  # (stem file, tokenizer id it must carry), read lazily
_NEW: dict[str, str] = {}  # stems computed by nltk since `new_stems` last handed them out


@cache
def _snowball() -> Callable[[str], str]:
    """The Snowball English stemmer of nltk (imported on first use only)."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english").stem


def offer_stems(path: Path, tokenizer: str) -> None:
    """Offer a saved stem file, read on the first unknown word, used if built by `tokenizer`."""
    _OFFERED.append((path, tokenizer))


def _read_offered() -> None:
    """Read the offered stem files into the memo (a damaged or foreign file only costs speed)."""
    while _OFFERED:
        path, tokenizer = _OFFERED.pop()
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved["tokenizer"] == tokenizer:
                _STEMS.update({str(w): str(s) for w, s in saved["stems"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.debug("cannot read stem file %s: %s", path, exc)


def stem(word: str) -> str:
    """The Snowball English stem (nltk's) of a lowercase word."""
    found = _STEMS.get(word)
    if found is None and _OFFERED:
        _read_offered()
        found = _STEMS.get(word)
    if found is None:
        found = _STEMS[word] = _NEW[word] = _snowball()(word)
    return found


def new_stems() -> dict[str, str]:
    """The stems nltk computed here since the last call (a build worker hands them back)."""
    fresh = dict(_NEW)
    _NEW.clear()
    return fresh


def learn_stems(stems: dict[str, str]) -> None:
    """Remember stems another process computed (they are saved with the index)."""
    _STEMS.update(stems)


def known_stems() -> dict[str, str]:
    """Every stem this process knows (saved with an index, so serving it needs no nltk)."""
    _read_offered()
    return dict(_STEMS)


@cache
def stopwords() -> frozenset[str]:
    """The project's own stopword list (negations are not stopwords)."""
    text = (Path(__file__).parent / "data" / "stopwords.txt").read_text(encoding="utf-8")
    words = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(w for line in words for w in line.split())


def normalize(text: str) -> str:
    """Unicode-normalise a text the way the tokenizer sees it (same length-preserving quotes)."""
    text = unicodedata.normalize("NFKC", text)
    return text if text.isascii() else text.translate(_DASHES)  # the quotes are not ASCII


def _american(word: str) -> str:
    """The American spelling of a lowercase word."""
    word = _SPELLING.get(word, word)
    if "is" not in word and "ys" not in word:  # the rule's regex cannot match (most words)
        return word
    return _ISE_RE.sub(lambda m: m[1] + ("iz" if m[2] == "is" else "yz") + m[3], word)


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """Index terms for one word: parts of a compound and the compound itself, stemmed."""
    lower = word.lower()
    if not lower.isascii():  # no ASCII character is a combining mark
        lower = "".join(c for c in lower if not unicodedata.combining(c))
    if lower.endswith(("'s", "'")):
        lower = lower.rsplit("'", 1)[0]
    negated = lower.endswith("n't")
    if negated:
        lower = lower[:-3]
    parts = [p for p in lower.split("-") if p]
    if len(parts) > 1:
        parts.append("".join(parts))  # "hydro-electric" also finds "hydroelectric"
    stops = stopwords()
    terms = [stem(_american(_FOLD.get(p, p))) for p in parts
             if p not in stops and "'" not in p]
    return (*terms, "not") if negated else tuple(terms)


def _number(text: str) -> str:
    """A number without thousands separators: `800,000` → `800000`."""
    return text.replace(",", "")


@lru_cache(maxsize=100_000)
def _match_terms(kind: str, surface: str) -> tuple[str, ...]:
    """Index terms for one regex match of the given kind."""
    if kind == "word":
        return _word_terms(surface)
    if kind == "usa":
        return ("usa",)
    if kind == "percent":
        return (_number(re.match(_NUM, surface)[0]) + "%",)
    if kind == "money":
        amount = re.search(_NUM, surface)[0]
        unit = re.search(r"[a-z]+$", surface.lower())
        return (_number(amount) + (_UNITS[unit[0]] if unit else ""),)
    return (_number(surface),)


Span = tuple[int, int, tuple[str, ...]]


@lru_cache(maxsize=4096)
def spans(text: str) -> tuple[Span, ...]:
    """Each word-like span of `text` (start, end) with the index terms it yields (maybe none).

    Kept for the texts seen last: answering reads a shown sentence's spans several times (its
    matched words, whether it restates another); a build tokenizes with `tokenize`, uncached.
    """
    return tuple((*m.span(), _match_terms(m.lastgroup or "word", m[0])) for m in _tokens(text))


def tokenize(text: str) -> list[str]:
    """The index terms of a text, in order: used for documents and queries alike."""
    return [t for m in _tokens(text) for t in _match_terms(m.lastgroup or "word", m[0])]


def _tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokenizer's matches in the normalised text."""
    text = normalize(text)
    return (_ASCII_TOKEN_RE if text.isascii() else _TOKEN_RE).finditer(text)


def tokenize_phrase(text: str) -> tuple[str, ...]:
    """The terms of a short phrase (an alias, an issue term), deduplicated, order kept."""
    return tuple(dict.fromkeys(tokenize(text)))
