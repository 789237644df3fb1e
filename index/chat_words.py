"""Chat shorthand for words no question is about ("w", "tho", "rn", "gonna"): left out of questions.

Read from data/chat_words.txt. A question typed in Discord ("who came up w that number", "did
pokrovsk fall tho") is searched without them, as if they were stopwords, and a conversation does
not carry them into its next turns.
"""

from __future__ import annotations

from functools import cache

from .datafiles import data_lines


@cache
def chat_words() -> frozenset[str]:
    """The shorthand words (lowercase) a question is searched without."""
    return frozenset(line.lower() for line in data_lines("chat_words.txt"))


def is_chat_word(surface: str) -> bool:
    """Whether a question word, as typed, is chat shorthand for words of no topic."""
    return surface.lower() in chat_words()
