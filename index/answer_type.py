"""What a question asks for, read against the passages shown: the kind of answer, the speaker.

A question on the story's topic can ask for a fact no source gives ("how many grain ships left
Chornomorsk in December", "what did the Pentagon say about …"): its words match, so coverage
alone answers it. Two checks read the passages the user would see (each matched sentence ±1,
with its source's title and section heading) and decline when none of them can be the answer.
The other way round, the verb of "who created X" is found here, so that an answer saying it in
other words ("developed by") is not declined for lacking it. A follow-up's "who designed those?"
is judged by the verb alone (doer_unstated): the conversation carries what it was done to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .conversation import is_talk_word
from .corpus import Index
from .cues import (
    _MONTHS,
    _NUMBER_WORDS,
    DAY_OR_YEAR_RE,
    NUMBER_RE,
    WHEN_ASKED,
    frame_words,
    holds_number,
)
from .evidence import group_idf
from .models import Passage
from .names import misspells, place_alternatives
from .query import Query, TermGroup
from .shown import ShownText, holds_any, shown_text, shows
from .synonyms import synonyms
from .tokens import spans, tokenize, tokenize_phrase
from .topics import Party

_PERCENT_RE = re.compile(r"\d[\d,.]*\s?(?:%|percent\b|per\s?cent\b)", re.I)
_SHARE_RE = re.compile(r"\d\s?(?:%|percent\b|per\s?cent\b)|"
                       r"\b(?:half|third|quarter|majority|most)\b", re.I)
_DATE_RE = re.compile(rf"\b(?:{_MONTHS})\b|\b(?:1\d|20)\d\d\b|\b(?:yesterday|today|tomorrow|"
                      r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|"
                      r"century|centuries|bc|ad|ago|spring|summer|autumn|winter)\b|"
                      r"\b(?:last|next|this) (?:week|month|year)\b", re.I)
_DURATION_RE = re.compile(rf"\b(?:\d+|{_NUMBER_WORDS}|a|an|several|many|few)[\s-]+(?:more\s+)?"
                          r"(?:days?|weeks?|months?|years?|hours?|minutes?|decades?|"
                          r"centur(?:y|ies))\b|\b(?:since|until|from)\b", re.I)
_TIME_RE = re.compile(r"\d{1,2}[:.]\d\d|\d\s?(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midnight|morning|"
                      r"afternoon|evening|night|dawn|dusk|hours?|minutes?)\b", re.I)


def _count(text: str) -> bool:
    """A number that is not a day, a year or a percentage."""
    return bool(NUMBER_RE.search(_PERCENT_RE.sub(" ", DAY_OR_YEAR_RE.sub(" ", text))))


def _date(text: str) -> bool:
    """A date: a month, a year, a weekday, a season, a relative day."""
    return bool(_DATE_RE.search(text))


def _duration(text: str) -> bool:
    """A span of time, or the dates that bound one."""
    return bool(_DURATION_RE.search(text)) or _date(text)


# Question cue → what an answer must hold, and its name in the message. First match wins; order
# matters ("how long is the Danube" asks for a length, "how long did they talk" for a duration).
_KINDS: tuple[tuple[re.Pattern[str], Callable[[str], bool], str], ...] = (
    (re.compile(r"\bhow long (?:is|was|are|were)\b", re.I), holds_number, "the measure asked for"),
    (re.compile(r"\bwhat time\b", re.I), lambda text: bool(_TIME_RE.search(text)),
     "the time asked for"),
    (re.compile(r"\bhow long\b|\bhow many (?:days|weeks|months|years|hours)\b", re.I), _duration,
     "how long"),
    (re.compile(r"\b(?:what|which) (?:share|percentage|proportion|fraction)\b|\bpercent", re.I),
     lambda text: bool(_SHARE_RE.search(text)), "the share asked for"),
    (re.compile(r"\bhow many\b|\bwhat number\b|\bpopulation\b", re.I), _count,
     "the number asked for"),
    (re.compile(r"\bhow (?:much|big|large|old|far|high|tall|deep|wide|heavy|fast|expensive)\b|"
                r"\bwhat (?:amount|sum|price|cost)\b", re.I), holds_number, "the amount asked for"),
    (re.compile(rf"{WHEN_ASKED}|\b(?:what|which) (?:year|date|day|month)\b", re.I), _date,
     "the date asked for"),
)

# "what did the pope say about …", "how has the Kremlin responded": the words between are the
# speaker, whom a passage must name for its words to be the answer.
_SPEAKER_RE = re.compile(
    r"^\s*(?:so\s+)?(?:what|how)(?:'s)?\s+(?:did|does|do|has|have|is|was|were|are)\s+(.+?)\s+"
    r"(?:say|said|saying|think|thinks|want|wants|respond|responded|react|reacted|propose|"
    r"proposed|claim|claimed|mean|make|feel)\b", re.I)


def _kind(question: str) -> tuple[Callable[[str], bool], str] | None:
    """The kind of answer the wording asks for: a test of a passage's text, and its name."""
    return next(((test, name) for pattern, test, name in _KINDS if pattern.search(question)),
                None)


def answer_kind(question: str) -> Callable[[str], bool] | None:
    """What the question's wording asks for, as a test of a passage's text (None: no kind)."""
    kind = _kind(question)
    return kind[0] if kind else None


def _covers(index: Index, groups: Sequence[TermGroup], shown: ShownText, share: float) -> bool:
    """Whether a passage holds at least `share` of the groups' weight (idf)."""
    weights = [group_idf(index, g) for g in groups]
    total = sum(weights)
    held = sum(w for g, w in zip(groups, weights, strict=True) if shows(g, shown))
    return total == 0 or held >= share * total


def lacks_kind(index: Index, query: Query, passages: Sequence[Passage],
               share: float) -> str | None:
    """The kind of answer asked for, when no shown passage near the question's words holds one.

    Near its words: the passage covers `share` of the weight of the question's known words.
    """
    kind = _kind(query.text)
    if kind is None or not passages:
        return None
    known = [g for g in query.groups if g.required and group_idf(index, g) > 0]
    shown = (shown_text(index, p) for p in passages)
    # Coverage first: a set look-up is cheaper than the kind's regular expressions.
    return None if any(_covers(index, known, s, share) and kind[0](s.text) for s in shown) \
        else kind[1]


def speaker_phrase(question: str) -> str:
    """The speaker of "what did X say …" as typed, hedges left out ("the pope"; "" if none)."""
    match = _SPEAKER_RE.search(question)
    if match is None:
        return ""
    framing = frame_words(question)
    return " ".join(w for w in match.group(1).split() if w.lower() not in framing)


def unnamed_speaker(index: Index, query: Query,
                    passages: Sequence[Passage]) -> tuple[TermGroup, ...]:
    """The speaker X of "what did X say …" when no shown passage names X (else none)."""
    match = _SPEAKER_RE.search(query.text)
    if match is None or not passages:
        return ()
    framing = frame_words(query.text)  # "did X really say": "really" hedges, it names no one
    words = {t for a, b, ts in spans(match.group(1)) for t in ts
             if match.group(1)[a:b].lower() not in framing}
    vocab = index.postings.vocab
    # A misspelt name ("zelenksy") cannot be found by its spelling: it does not decide.
    speaker = tuple(g for g in query.groups if g.term in words
                    and not (g.term not in vocab and misspells(g.term, vocab)))
    shown = (shown_text(index, p) for p in passages)  # read only up to the first naming them
    if any(all(shows(g, s) for g in speaker) for s in shown):
        return ()
    return speaker


_AUXILIARY = r"(?:is|was|are|were|has|have|had|does|did|do|will|would|could|should|can|s)\b"
# "who created Linux", "what did Darwin discover": the verb names the relation asked about, and an
# answer often says it in other words ("developed by", "his theory of").
_RELATION_RES = (
    re.compile(rf"^\s*who\s+(?:first\s+)?(?!{_AUXILIARY})(\w+)", re.I),
    re.compile(rf"^\s*what\s+{_AUXILIARY}\s+\w+(?:\s+\w+)?\s+(?!{_AUXILIARY})(\w+)\s*\??\s*$",
               re.I),
)


# "who designed the reactors", "who would organise the referendum": the verb asked with.
_WHO_VERB_RE = re.compile(rf"^\s*who\s+(?:first\s+|will\s+|would\s+|could\s+|should\s+)?"
                          rf"(?!{_AUXILIARY})(\w+)", re.I)


# "when was the plant built", "what year did the talks start": the verb the date is of, last (a
# past participle or a verb of beginning and ending; "when was it agreed by Kyiv" ends on a name).
_WHEN_VERB_RE = re.compile(r"^\W*(?:when|what year|which year|in what year)\s+"
                           r"(?:was|were|did|is|are)\s+.+?\s+([^\W\d_]+ed|built|made|born|held|"
                           r"begun|written|taken|given|done|won|lost|sold|shut|set|start|begin|"
                           r"end|open|close|happen|finish|launch|sign|fall)\W*$", re.I)


def unsaid_relation(index: Index, query: Query, passages: Sequence[Passage],
                    share: float) -> str | None:
    """What "who <verb> X" or "when was X <verb>" asks, when no passage says it or is about X.

    Says the verb of X: holds it and `share` of the weight of the question's other words.

    About X: its source's title holds one of the question's other words. An encyclopedia
    article on Linux says "developed by" for "who created Linux"; a news report that never
    says who designed the reactors it mentions in passing gives no answer to it.
    """
    match = _WHO_VERB_RE.search(query.text) or _WHEN_VERB_RE.search(query.text)
    if match is None or not passages:
        return None
    verb = next((g for g in query.groups if g.surface.lower() == match.group(1).lower()), None)
    if verb is None or verb.surface.lower() in frame_words(query.text):
        return None  # a light verb ("who gets Donetsk") names no relation of its own
    rest = [g for g in query.groups if g is not verb and g.required and group_idf(index, g) > 0]
    for passage in passages:
        title = frozenset(t for _, _, ts in spans(passage.citation.title) for t in ts)
        if any(holds_any(g, title) for g in rest):  # about X: its title is enough
            return None
        shown = shown_text(index, passage)
        if shows(verb, shown) and _covers(index, rest, shown, share):
            return None
    asked = query.text.strip().rstrip("?").strip()
    return asked[:1].lower() + asked[1:]  # "… no passage gives who designed the reactors."


def relation_verb(query: Query) -> TermGroup | None:
    """The verb of "who created X" / "what did X discover" (None: the question has no such verb)."""
    for pattern in _RELATION_RES:
        match = pattern.search(query.text)
        if match:
            verb = match.group(1).lower()
            return next((g for g in query.groups if g.surface.lower() == verb), None)
    return None


def unshown_names(index: Index, query: Query, passages: Sequence[Passage],
                  parties: Sequence[Party]) -> tuple[TermGroup, ...]:
    """The names a question asks with that the sources know but no shown passage holds.

    A name counts as held in any of its country's forms ("france", "french"); a party's own name
    in any of the party's names ("russia": "moscow", "kremlin"), but a member of a party is not
    the party ("france" is not held by "european").
    """
    names = [g for g in query.groups if g.name and g.required and group_idf(index, g) > 0]
    if not names or not passages:
        return ()
    shown = [shown_text(index, p) for p in passages]
    missing = []
    for group in names:
        forms = {group.term, *place_alternatives(group.term)}
        party = next((p for p in parties if group.term in p.alias_terms), None)
        phrases: tuple[tuple[str, ...], ...] = ()
        if party is not None and forms & set(tokenize_phrase(party.name)):
            forms = set(party.alias_terms) | forms
            phrases = tuple(p for p in party.phrases if len(p) > 1)  # "United States"
        if not any(s.holds(t) for s in shown for t in forms) \
                and not any(all(s.holds(t) for t in p) for s in shown for p in phrases):
            missing.append(group)
    return tuple(missing)


# "who designed those reactors?", "who would organise it?": a "who" question's verb, right after
# it (auxiliaries aside), is the action whose doer is asked for. When the answer never uses that
# verb it cannot name the doer, however well it covers the thing it was done to (which the
# conversation carries), so such a follow-up is declined (see `doer_unstated`).
_WHO_ACTION = re.compile(
    r"^\W*(?:(?:and|but|so|then|ok(?:ay)?)\W+)*who\s+"
    r"(?:(?:would|will|could|should|can|did|does|do|has|have|had|is|was|were|'d|'ll)\s+)*"
    r"([^\W\d_]+)(?:\s+(up|out|off|down|over|back|away)\b)?", re.I)


def doer_unstated(question: str, unknown: Sequence[str], shown: Sequence[str]) -> bool:
    """Whether a "who …?" turn asks for the doer of an action the answer never mentions.

    The action is the verb right after "who" (auxiliaries aside): when the sources never use it
    ("who designed those reactors?"), or none of the passages found holds it ("who built that
    sub?" answered with the sub's launch), they do not say who did it; a paraphrase of it counts
    (index/synonyms). A phrasal verb ("who came up with that number?") is not judged: its action
    is not its verb's ("estimated").
    """
    match = _WHO_ACTION.match(question)
    if not match or is_talk_word(match.group(1)):
        return False  # "who is said to …": a word of talk is not the action asked about
    if match.group(2):  # "who came up with", "who pulled out": the verb alone names no action
        return False
    verb = match.group(1)
    terms = set(tokenize(verb))
    if not terms:
        return False  # "who is against it?": no verb to judge by
    if verb.lower() in {u.lower() for u in unknown}:
        return True
    held = {t for text in shown for t in tokenize(text)}
    # The answer may name the action in other words ("brokered" asked, "negotiated by" shown).
    return not all(term in held or held.intersection(synonyms(term, terms)) for term in terms)
