"""Question cues and sentence features: the answer a question wants, what a sentence holds."""

from __future__ import annotations

import re
from enum import IntFlag


class Feature(IntFlag):
    """What a sentence contains, as bits (stored per sentence in the index)."""

    NONE = 0
    NUMBER = 1
    AMOUNT = 2  # money or a quantity with a unit
    PERCENT = 4
    DATE = 8
    DURATION = 16
    # A number that is not a day of a month or a year: what "how many" wants ("on 30 November"
    # answers no "how many"). Bit 32 was NEGATION, never asked for: cues.py is part of the
    # tokenizer's identity, so no index saved with the old meaning is ever read with this one.
    COUNT = 32
    DEFINITION = 64  # "X is a …", "… refers to …": what a "what is X" question wants
    # "because", "so that", "argues": what a "why" question wants. Bit 128 was NAME until session
    # 17 (a capitalised name, for "who" and "where"); the tokenizer's identity covers the change.
    REASON = 128


_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 r"forty|fifty|hundred|thousand|million|billion|dozen|half|third|quarter")
_MONTHS = (r"january|february|march|april|may|june|july|august|september|october|november|"
           r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_UNIT = r"(?:days?|weeks?|months?|years?|hours?|decades?|centur(?:y|ies))"
_MORE_NUMBERS = (r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|sixty|seventy|"
                 r"eighty|ninety|dozens|hundreds|thousands|millions|billions|several|tens")
NUMBER_RE = re.compile(rf"\d|\b(?:{_NUMBER_WORDS}|{_MORE_NUMBERS})\b", re.I)
# A day of a month or a year is a date, not a count: "on 12 December" answers no "how many".
DAY_OR_YEAR_RE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b|"
                            rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b(?:1[5-9]|20)\d\ds?\b", re.I)


def holds_number(text: str) -> bool:
    """Whether the text has a number that is not a day of a month or a year."""
    return bool(NUMBER_RE.search(DAY_OR_YEAR_RE.sub(" ", text)))

_FEATURE_RES: tuple[tuple[Feature, re.Pattern[str]], ...] = (
    (Feature.NUMBER, re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)),
    (Feature.AMOUNT, re.compile(r"[$£€¥]\s?\d|\d\s?(?:bn|billion|million|trillion|tn)\b|"
                                r"\b\d[\d,.]*\s?(?:people|troops|soldiers|km|miles|tonnes|mw|gw)\b|"
                                r"\d[\d,]*-strong", re.I)),
    (Feature.PERCENT, re.compile(r"\d\s?(?:%|percent\b|per cent\b)|\b(?:half|a third|quarter)\b",
                                 re.I)),
    (Feature.DATE, re.compile(rf"\b(?:{_MONTHS})\b\.?(?:\s+\d{{1,2}})?|\b(?:1[89]|20)\d\d\b|"
                              r"\b(?:since|until|ago|yesterday|today|tomorrow|last|next)\b|"
                              r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                              re.I)),
    (Feature.DURATION, re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})[\s-]+(?:more than\s+)?{_UNIT}\b|"
                                  rf"\bfor\s+(?:more than\s+)?(?:\d+|{_NUMBER_WORDS}|a|an)\s+"
                                  rf"{_UNIT}", re.I)),
    (Feature.DEFINITION, re.compile(r"\b(?:is|are|was|were)\s+(?:a|an|the|one of)\b|"
                                    r"\brefers? to\b|\bis defined as\b|\b(?:also )?known as\b",
                                    re.I)),
    # A length, height, depth or area with its unit is a quantity too.
    (Feature.AMOUNT, re.compile(r"\d\s?(?:km|m|ft|kilomet(?:re|er)s?|met(?:re|er)s?|miles?|feet|"
                                r"yards?|square)\b", re.I)),
    # Not "since": in news it mostly means "from" ("since the spring").
    (Feature.REASON, re.compile(r"\b(?:because|as a result|due to|owing to|so that|"
                                r"in order to|which is why|that is why|the reason|reasons?|"
                                r"argues|argued|arguing|fears?|feared|to prevent|to avoid|"
                                r"so as to|given that|would only|otherwise)\b", re.I)),
)

# "when" asks for a date unless another question word came first: in "what did Erdogan ask Putin
# for when they met" it only says which moment the question is about; a second question ("… and
# by when?") asks again. Its groups `cue` and `asked` are the word alone (the words before it
# are no cue: see frame_words).
WHEN_ASKED = (r"^(?:(?!\b(?:what|whats|who|whom|whose|which|where|why|how)\b).)*?\b(?P<cue>when)\b|"
              r"\b(?:and|or|by|since|until|till) (?P<asked>when)\b")

# Question cue → the features a good answer sentence has. First match wins; order matters. A cue
# with no feature asks for no kind of sentence: its words only frame the question (frame_words).
_CUES: tuple[tuple[re.Pattern[str], Feature], ...] = (
    # "why?", "and why won't the russians play along", "how come": a reason answers it.
    (re.compile(r"^\W*(?:(?:and|but|so|ok|okay|then)\W+)*(?:why|how come)\b|"
                r"\bfor what reason\b", re.I), Feature.REASON),
    (re.compile(r"\bhow (?:long|many (?:days|weeks|months|years))\b", re.I), Feature.DURATION),
    (re.compile(r"\b(?:what|which) (?:share|percentage|proportion|fraction|part)\b|"
                r"\bhow much of\b|\bpercent", re.I), Feature.PERCENT),
    (re.compile(r"\bhow (?:much|expensive|costly)\b|\bwhat (?:amount|sum|price|cost)\b", re.I),
     Feature.AMOUNT),
    # A measure's adjective ("how deep") names what is measured: only "how" frames it.
    (re.compile(r"\bhow (?:many|big|large|old|far|high)\b|\bwhat number\b|"
                r"\bhow(?= (?:tall|deep|wide|heavy)\b)", re.I), Feature.COUNT),
    (re.compile(rf"\b(?:since when|what (?:year|date|day|month)|which (?:year|date))\b|"
                rf"{WHEN_ASKED}", re.I), Feature.DATE),
    # "what's the tanker called", "what is the name of the sub": the naming word frames (before
    # the definition's copula; the cue is the naming word alone).
    (re.compile(r"^\W*(?:what|whats)\b(?:\W+\w+){1,8}?\W+(?P<called>called|named)\W*$|"
                r"\bwhat(?:['’]s|s| is| was| are| were) (?:the )?(?P<name>names?) of\b", re.I),
     Feature.NONE),
    # "What is X?", "Who was X?": a definition answers it (a copula right after the question word).
    (re.compile(r"^\s*(?:what|who)\s+(?:is|are|was|were)\b", re.I), Feature.DEFINITION),
    # "Who discovered X?", "Where is X?", "Which country …": a name answers it, which news
    # sentences nearly all hold, so these words only frame.
    (re.compile(r"^\s*(?:who|whom|whose|where)\b|\b(?:which|what) (?:country|city|town|place|"
                r"company|person|team)\b|\bin which\b", re.I), Feature.NONE),
)


_WORD_RE = re.compile(r"[^\W\d_]+")

# Words that frame a question rather than name its topic: the verbs of "what does X want / think /
# say", "how did X get / happen", "how is the fighting going". The answer states the stance or
# event in its own words, so these weigh little (SearchSettings.frame_discount); the wording of a
# cue ("how much") is framing too.
_FRAME_WORDS = frozenset((
    "get", "gets", "got", "getting", "make", "makes", "made", "take", "takes", "took", "give",
    "gives", "gave", "go", "goes", "went", "going", "come", "comes", "came", "happen", "happens",
    "happened", "happening", "want", "wants", "wanted", "think", "thinks", "thought", "say",
    "says", "said", "stance", "position", "view", "views", "opinion", "feel", "feels", "mean",
    "means", "kind", "type", "sort",
    # Hedges and chat fillers: how people type, not what they ask about; and recency ("the new
    # goal", "the current head"), which a report states without saying "new".
    "actually", "really", "exactly", "anything", "something", "just", "ok", "okay", "lol",
    "whats", "basically", "even", "still", "per", "bit", "new", "latest", "current", "currently",
    "recent", "recently"))


def frame_words(question: str) -> frozenset[str]:
    """The question's framing words (lowercase): its cue phrase and its light or stance verbs."""
    words = {w.lower() for w in _WORD_RE.findall(question)} & _FRAME_WORDS
    for pattern, _ in _CUES:
        match = pattern.search(question)
        if match:  # the cue's own words ("how much of", "what share") ask, they do not name
            # A named group, where the cue has one, is its word alone (WHEN_ASKED, "called").
            cue = match.group(match.lastgroup) if match.lastgroup else match.group()
            words |= {w.lower() for w in _WORD_RE.findall(cue)}
            break
    return frozenset(words)


# What a sentence must hold for each pattern of _FEATURE_RES (same order) to match at all: a digit
# (`\d`), one of these words (a whole `\w` run, lowercased, as `\b…\b` with re.I matches), or a
# word starting with a unit ("for a year…" needs no boundary after the unit). Searching a sentence
# only when it passes gives the same features; the word-list searches were most of a build's time.
_UNIT_STARTS = ("day", "week", "month", "year", "hour", "decade", "centur")
_NEEDS: tuple[tuple[bool, frozenset[str], tuple[str, ...]], ...] = (
    (True, frozenset(_NUMBER_WORDS.split("|")), ()),  # NUMBER
    (True, frozenset(), ()),  # AMOUNT: every alternative has a digit
    (True, frozenset(("half", "third", "quarter")), ()),  # PERCENT
    (True, frozenset((*_MONTHS.split("|"), "since", "until", "ago", "yesterday", "today",
                      "tomorrow", "last", "next", "monday", "tuesday", "wednesday", "thursday",
                      "friday", "saturday", "sunday")), ()),  # DATE
    (False, frozenset(), _UNIT_STARTS),  # DURATION
    (False, frozenset(("is", "are", "was", "were", "refer", "refers", "known")), ()),  # DEFINITION
    (True, frozenset(), ()),  # AMOUNT (a length with its unit)
    (False, frozenset(("because", "result", "due", "owing", "so", "order", "why",
                       "reason", "reasons", "argues", "argued", "arguing", "fear", "fears",
                       "feared", "prevent", "avoid", "given", "would", "otherwise")), ()),  # REASON
)
_DIGIT_RE = re.compile(r"\d")
_RUN_RE = re.compile(r"\w+")


def sentence_features(text: str) -> Feature:
    """The features present in one sentence."""
    # re.I folds some non-ASCII letters onto ASCII ones ("ſix", "İs"): such text is searched whole.
    every = not text.isascii()
    digit = _DIGIT_RE.search(text) is not None
    runs = {run.lower() for run in _RUN_RE.findall(text)}
    found = Feature.NONE
    for (feature, pattern), (by_digit, words, starts) in zip(_FEATURE_RES, _NEEDS, strict=True):
        possible = every or (by_digit and digit) or not words.isdisjoint(runs) or (
            bool(starts) and any(run.startswith(starts) for run in runs))
        if possible and pattern.search(text):
            found |= feature
    if found & Feature.NUMBER and holds_number(text):
        found |= Feature.COUNT
    return found


def expected_features(question: str) -> Feature:
    """What a question's wording asks for: amount, number, percentage, date, duration or reason."""
    for pattern, feature in _CUES:
        if pattern.search(question):
            # A percentage or an amount is also a number, a duration is a number of units; a
            # count is a number that is no date, so a bare number only half-answers it.
            numeric = feature in (Feature.AMOUNT, Feature.PERCENT, Feature.DURATION)
            return feature | Feature.NUMBER if numeric else feature
    return Feature.NONE
