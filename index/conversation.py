"""Follow-up questions: earlier turns + a new one → the query to run (pure; state lives elsewhere).

TREC CAsT-style: a turn that needs context (few content words of its own, a pronoun, "and …?",
"what about …", "why", "who said") carries the salient words of earlier turns, weighted by
recency, keeps the conversation's topic and party, and prefers the passages shown last; a turn
that names a new subject stands alone. Nothing here invents text: the "understood as" line is
the user's own words followed by the earlier turns' words it borrowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .chat_words import is_chat_word
from .cues import frame_words
from .models import Answer, PassageKey
from .names import with_country_case
from .query import Query
from .tokens import spans
from .topics import Topics

MAX_TURNS = 6  # how many earlier turns a conversation keeps (older ones carry almost nothing)
MAX_UNDERSTOOD_CHARS = 200  # the "understood as" line stays one short line

# Decay of an earlier turn's words per turn back; the conversation's opening turn keeps at least
# ANCHOR (it names the subject the later turns talk around). Set on conversations_dev and our own
# multi-report conversations together, again after the ranking gained synonyms and restatements:
# an anchor of 1.0 then lost 4 of 16 multi-report follow-ups, 0.5 none; CARRY_WEIGHT 0.3-0.6
# moved either set by one turn, so it stays at 0.6.
RECENCY_DECAY = 0.5
ANCHOR = 0.5
# "and Ukraine?", "and the Russian side?": a turn whose only topic word is a party swaps the party
# (the earlier party's names are not carried). A longer turn names a party as part of its subject
# ("how big would Kyiv's army be"), and keeps the others. 1 beat 2 and "always" on the dev sets.
SWAP_MAX_WORDS = 1
CARRY_WEIGHT = 0.6  # carried words weigh this much of the turn's own (the turn leads)


@dataclass(frozen=True, kw_only=True)
class Turn:
    """One earlier turn of a conversation, as stored: the words asked and what was shown."""

    question: str
    understood_as: str | None = None
    issue: str | None = None  # a sticking point's key, when an issue command set the topic
    side: str | None = None  # a party's key, when an issue command set the party
    shown: tuple[PassageKey, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CarriedWord:
    """A word borrowed from an earlier turn and how much it weighs in the new query."""

    surface: str
    weight: float


@dataclass(frozen=True, kw_only=True)
class ResolvedTurn:
    """How a new turn is asked: its own words, the words carried into it, and hints."""

    question: str  # the turn's own text (a new-subject marker removed)
    carried: tuple[CarriedWord, ...] = ()
    understood_as: str | None = None  # None: the turn stands alone
    issue: str | None = None
    side: str | None = None
    prefer: tuple[PassageKey, ...] = ()  # the passages shown last (unless a new subject)
    standalone: bool = True
    own_words: bool = True  # whether the turn has topic words of its own


# "ok different question: …", "new topic - …", "changing the subject, …": the rest stands alone.
_NEW_SUBJECT = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|right|alright|so|anyway|now)\W+)*"
    r"(?:(?:a\s+|an\s+)?(?:(?:totally|completely|entirely|quite)\s+)?"
    r"(?:different|diff|new|another|other|unrelated|separate)\s+"  # "diff q": chat shorthand
    r"(?:question|q|qn|topic|subject|thing)\b|(?:changing|change|switching)\s+(?:the\s+)?"
    r"(?:subject|topic)s?|on\s+another\s+note|unrelated(?:\s+but)?)\W*", re.I)
# Openings that continue the conversation: "and …?", "what about …", "but …", "so …".
_CONTINUES = re.compile(
    r"^\W*(?:and|but|so|also|then|or|plus|what about|how about|what of|same for|any)\b", re.I)
# Words that point back at something said before.
_POINTERS = frozenset((
    "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "he", "him",
    "his", "she", "her", "there", "then", "else", "again", "other", "instead", "whom", "one",
    "side", "such", "same"))
# Words of talk, not of topic: never carried, never counted as the turn's own subject.
_FILLER = frozenset((
    "ok", "okay", "yes", "yeah", "no", "well", "now", "still", "really", "actually", "simply",
    "just", "mainly", "realistically", "idea", "anyone", "anything", "wait", "hmm", "please",
    "thanks", "right", "likely", "exactly", "else", "again", "instead", "version", "answer",
    "whole", "thing", "things", "stuff", "kind", "job", "bit", "lot", "mean", "side", "guys",
    "according", "said", "say", "says", "tell", "know", "sure", "think", "question", "ok"))
_NEGATION = re.compile(r"n't$|^(?:not|no|never|nor|none)$", re.I)
_FEW_WORDS = 2  # a turn with this many content words or fewer leans on the conversation


def is_talk_word(word: str) -> bool:
    """Whether a word is one of talk, not of topic ("ok", "the job", "according"), any case."""
    return word.lower() in _FILLER


def content_words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The turn's topic words (surface, index terms) in order: no stopwords, framing or filler."""
    text = with_country_case(text)  # "and the us?": the country, not the pronoun
    frame = frame_words(text)
    out: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()
    for start, end, terms in spans(text):
        surface = text[start:end]
        lower = surface.lower()
        bare = lower.removesuffix("'s").removesuffix("’s")  # "the other side's": filler too
        if not terms or lower in frame or bare in _FILLER or lower in seen \
                or is_chat_word(lower):
            continue
        seen.add(lower)
        out.append((surface, terms))
    return out


def without_filler(query: Query) -> Query:
    """A follow-up's query without its words of talk ("the other side", "any idea", "the job").

    A turn made only of them ("and the other side's version?", "according to whom?") keeps
    none: the words it carries from earlier turns are what it asks with.
    """
    kept = tuple(g for g in query.groups
                 if g.surface.lower().removesuffix("'s").removesuffix("’s") not in _FILLER)
    return replace(query, groups=kept)


def starts_new_subject(question: str) -> str | None:
    """The question without its new-subject marker, or None when it has no such marker."""
    match = _NEW_SUBJECT.match(question)
    if not match or match.end() >= len(question):
        return None
    return question[match.end():].strip()


def _own_text(question: str) -> str:
    """A turn's words without a new-subject marker ("ok different question: …")."""
    fresh = starts_new_subject(question)
    return question if fresh is None else fresh


def needs_context(question: str) -> bool:
    """Whether a turn, read on its own, leans on earlier turns (ellipsis, pronouns, few words)."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", question)}
    if _CONTINUES.match(question) or words & _POINTERS:
        return True
    return len(content_words(question)) <= _FEW_WORDS


# "and the other side's version?", "what does the other party say?": the party the conversation
# was not about.
_OTHER_SIDE = re.compile(r"\bother\s+(?:side|party|camp)\b|\bthe\s+others?\b\s*(?:say|think)", re.I)


def _parties_named(history: Sequence[Turn], topics: Topics) -> list[tuple[str, str]]:
    """(party key, the word that named it) in the turns, newest turn first, in reading order."""
    named: list[tuple[str, str]] = []
    for turn in reversed(history):
        for surface, terms in content_words(_own_text(turn.question)):
            if (party := _party_of(terms, topics)) is not None:
                named.append((party, surface))
    return named


def other_side(history: Sequence[Turn], question: str,
               topics: Topics) -> tuple[str, str] | None:
    """For "and the other side?": the earlier party the conversation was not about, and its word.

    The last turn that named a party was about the first party it named.
    """
    if not _OTHER_SIDE.search(question):
        return None
    named = _parties_named(history, topics)
    if not named:
        return None
    about = named[0][0]
    return next(((p, w) for p, w in named if p != about), None)


def _party_of(terms: tuple[str, ...], topics: Topics) -> str | None:
    """The key of the party a word names, if any."""
    for party in topics.parties:
        if set(terms) & party.alias_terms:
            return party.key
    return None


def _carried(history: Sequence[Turn], own: list[tuple[str, tuple[str, ...]]],
             topics: Topics, swap_to: str | None = None) -> list[CarriedWord]:
    """Earlier turns' content words, newest first, weighted by recency; the turn's party wins."""
    own_terms = {t for _, terms in own for t in terms}
    own_party = next((p for _, terms in own if (p := _party_of(terms, topics))), None)
    if len(own) > SWAP_MAX_WORDS:
        own_party = None
    own_party = swap_to or own_party
    weights: dict[str, CarriedWord] = {}
    recent = _in_scope(history)[-MAX_TURNS:]
    for back, turn in enumerate(reversed(recent)):
        weight = RECENCY_DECAY ** back
        if back == len(recent) - 1:
            weight = max(weight, ANCHOR)
        for surface, terms in content_words(_own_text(turn.question)):
            if set(terms) & own_terms or surface.lower() in weights or _NEGATION.search(surface):
                continue  # a negation belongs to its own turn's claim, not to the subject
            party = _party_of(terms, topics)
            if own_party is not None and party is not None and party != own_party:
                continue  # "and the Russian side?" replaces the party, keeps the rest
            weights[surface.lower()] = CarriedWord(surface=surface,
                                                   weight=round(CARRY_WEIGHT * weight, 3))
    return list(weights.values())


def _in_scope(history: Sequence[Turn]) -> list[Turn]:
    """The turns since the subject last changed: by an issue command or "different question:"."""
    start = 0
    for i, turn in enumerate(history):
        new_issue = turn.issue and (i == 0 or history[i - 1].issue != turn.issue)
        if new_issue or starts_new_subject(turn.question) is not None:
            start = i
    return list(history[start:])


def _topic(issue: str | None, side: str | None, topics: Topics) -> list[str]:
    """The words an issue command gave the conversation: its title and its party's name."""
    words = [i.title for i in topics.issues if i.key == issue]
    return words + [p.name for p in topics.parties if p.key == side]


def _understood(question: str, carried: Sequence[CarriedWord], about: Sequence[str] = ()) -> str:
    """The line shown above the answer: the user's words, then the earlier words borrowed."""
    strongest = sorted(carried, key=lambda c: -c.weight)[:8]
    kept = [*about, *(c.surface for c in carried if c in strongest)]
    text = f"{question.strip().rstrip('?').strip()} — {' '.join(kept)}"
    if len(text) > MAX_UNDERSTOOD_CHARS:
        text = text[:MAX_UNDERSTOOD_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text


def resolve_turn(history: Sequence[Turn], question: str, topics: Topics) -> ResolvedTurn:
    """Decide how to ask a new turn given the earlier ones (oldest first)."""
    fresh = starts_new_subject(question)
    last = history[-1] if history else None
    issue, side = (last.issue, last.side) if last else (None, None)
    if fresh is not None:
        return ResolvedTurn(question=fresh)
    if last is None:
        return ResolvedTurn(question=question, issue=issue, side=side)
    if not needs_context(question):
        # A full question mid-conversation stands alone, but with no new-subject marker it most
        # likely stays with the report and section just shown: they keep their lead.
        return ResolvedTurn(question=question, issue=issue, side=side, prefer=last.shown)
    own = content_words(question)
    own_party = next((p for _, terms in own if (p := _party_of(terms, topics))), None)
    other = other_side(history, question, topics) if own_party is None else None
    carried = tuple(_carried(history, own, topics, swap_to=other[0] if other else None))
    if own_party is not None:
        side = None  # the turn names its own party
    about = _topic(issue, side, topics)
    if other is not None:  # the other side leads, named by the word an earlier turn used
        carried = (CarriedWord(surface=other[1], weight=1.0),
                   *(c for c in carried if c.surface != other[1]))
    return ResolvedTurn(question=question, carried=carried,
                        understood_as=_understood(question, carried, about)
                        if carried or about else None,
                        issue=issue, side=side,
                        prefer=last.shown, standalone=False,
                        own_words=bool(own))


def next_turn(history: Sequence[Turn], question: str, answer: Answer, *,
              issue: str | None = None, side: str | None = None) -> Turn:
    """The turn to remember after answering: an issue command's topic and party, else the last."""
    last = history[-1] if history else None
    if issue is None and last is not None:
        issue, side = last.issue, side or last.side
    return Turn(question=question, understood_as=answer.understood_as, issue=issue, side=side,
                shown=tuple(p.key for p in answer.passages))
