"""A serving process's one-off work, done before its first question (Engine.warm).

A process's first question otherwise pays for everything made once: the everyday-word list
(index/everyday: made from wordfreq once per machine), the word lists questions are parsed with
(places, demonyms, synonyms, cues), the misspelling table (index/names), each kind of question's
row factors and the index's derived arrays (index/shortlist, index/corpus). All of it is kept,
keyed by what it depends on, so a real question later reads the same values it would have made
itself: no answer changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from .answer import answer, window_texts
from .corpus import Index
from .names import is_rare_word, prepare_spellings
from .query import parse_query
from .semantic import SemanticOrder
from .settings import SearchSettings
from .shortlist import prepare
from .topics import Topics

log = logging.getLogger(__name__)

# One question of each common kind (a statement, a person, a time, a count, a place, a reason),
# so their row factors are made too (a person and a place ask for no kind of sentence: they share
# the statement's).
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


class Served(Protocol):
    """What is served: an index and its topics (the engine's snapshot)."""

    @property
    def index(self) -> Index:
        """The served index."""
        ...

    @property
    def topics(self) -> Topics:
        """The topics read with it."""
        ...


class Warming:
    """A serving process's warm-ups: the served index now, every newer one once published."""

    def __init__(self, served: Callable[[], Served], order: SemanticOrder,
                 settings: Callable[[], SearchSettings]) -> None:
        """Warming for the snapshots `served()` returns, with `settings()` at the time it runs."""
        self._served = served
        self._order = order
        self._settings = settings
        self._kept = False  # a serving process: warm each index up once it is published
        self._stopped = threading.Event()  # set by stop(): the work ahead is dropped

    def keep(self) -> None:
        """Warm the served index up now and every published one later, each on its own thread."""
        self._kept = True
        self._start()

    def published(self) -> None:
        """A new index is served: warm it up on a thread, if this process keeps warm."""
        if self._kept:
            self._start()

    def stop(self) -> None:
        """Drop the warming still ahead (the passages not embedded yet) and start no more."""
        self._kept = False
        self._stopped.set()

    def _start(self) -> None:
        """Start run() on a daemon thread."""
        threading.Thread(target=self.run, name="citebot-warm", daemon=True).start()

    def run(self) -> None:
        """Warm the served index up (what a first question makes once), then keep its passages.

        Up to the semantic order's size limit, it embeds the passages whose vectors are not
        kept yet, at half a core: ~20-40 ms a passage, once per machine (the bundled article's
        111 in ~10 s, a dozen reports' ~3,000 in a few minutes). It stops once a newer index is
        served or stop() is called.
        """
        snap, settings = self._served(), self._settings()
        try:
            warm(snap.index, snap.topics, settings)
            # The model's load (~0.15 s), not the first question's; then the passages' vectors,
            # kept across restarts, so that answers embed only their question (index/semantic).
            embedded = self._order.keep_passages(
                window_texts(snap.index), weight=settings.semantic_weight,
                sentences=snap.index.size,
                stop=lambda: self._stopped.is_set() or self._served() is not snap)
            if embedded:
                log.info("semantic order: %d passages embedded and kept", embedded)
        except Exception:  # nothing depends on it: the first questions make it themselves
            log.exception("warming up the index failed; answering goes on")
