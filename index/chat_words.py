"""Chat shorthand for words no question is about ("w", "tho", "rn", "gonna"): left out of questions.

Read from data/chat_words.txt. A question typed in Discord ("who came up w that number", "did
pokrovsk fall tho") is searched without them, as if they were stopwords, and a conversation does
not carry them into its next turns.
"""

from __future__ import annotations

import re
from functools import cache

from .datafiles import data_lines


@cache
def chat_words() -> frozenset[str]:
    """The shorthand words (lowercase) a question is searched without."""
    return frozenset(line.lower() for line in data_lines("chat_words.txt"))


def is_chat_word(surface: str) -> bool:
    """Whether a question word, as typed, is chat shorthand for words of no topic."""
    return surface.lower() in chat_words()


# Chat shorthand with a digit in it, which the tokenizer would split ("b4" → "b", "4": an unknown
# letter and a number): spelled out before the question is read. Common English chat usage, not
# taken from any question set.
_SPELLED_OUT = {"b4": "before", "2day": "today", "2moro": "tomorrow", "2morrow": "tomorrow",
                "2nite": "tonight", "l8r": "later", "l8": "late", "gr8": "great", "w8": "wait",
                "any1": "anyone", "some1": "someone", "every1": "everyone", "no1": "no one"}
_SPELLED_OUT_RE = re.compile(r"(?<![\w'’])(" + "|".join(_SPELLED_OUT) + r")(?![\w'’])", re.I)


def spelled_out(question: str) -> str:
    """The question with chat shorthand that holds a digit written out ("b4" → "before")."""
    return _SPELLED_OUT_RE.sub(lambda m: _SPELLED_OUT[m.group(1).lower()], question)
