"""A serving process's one-off work, done before its first question (Engine.warm).

A process's first question otherwise pays for everything made once: the everyday-word list
(index/everyday: made from wordfreq once per machine), the word lists questions are parsed with
(places, demonyms, synonyms, cues), the misspelling table (index/names), each kind of question's
row factors and the index's derived arrays (index/shortlist, index/corpus). All of it is kept,
keyed by what it depends on, so a real question later reads the same values it would have made
itself: no answer changes.
"""

from __future__ import annotations

from .answer import answer
from .corpus import Index
from .names import is_rare_word, prepare_spellings
from .query import parse_query
from .settings import SearchSettings
from .shortlist import prepare
from .topics import Topics

# One question of each common kind (a statement, a person, a time, a count, a place, a reason),
# so their row factors are made too.
SAMPLE_QUESTIONS = (
    "What did the government say about the talks?",
    "Who leads the mission?",
    "When was the agreement signed?",
    "How many people were there?",
    "Where did the meeting take place?",
    "Why was the plan rejected?",
)


def warm(index: Index, topics: Topics, settings: SearchSettings) -> None:
    """Make what a first question would make once, for this index (on a thread of its own)."""
    prepare_spellings(index.postings.vocab)
    is_rare_word("warming")  # reads the everyday-word list (made from wordfreq once)
    for name in _DERIVED:
        getattr(index, name)
    for question in SAMPLE_QUESTIONS:
        # The row factors directly: a sample's words may be no source's, so answering it
        # would stop before the first stage.
        prepare(index, parse_query(question, topics, settings), settings)
        answer(index, topics, question, settings=settings)


# The index's arrays derived on first use (index/corpus.py).
_DERIVED = ("para_first", "section_first", "source_first", "source_end", "token_first",
            "section_has_heading", "title_term_counts")
