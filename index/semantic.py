"""Meaning as well as words: the passages an answer shows first, ordered by an embedding model too.

The lexical engine chooses the passages and decides whether to answer; this stage only orders
them, by an equal mix of each one's lexical score (relative to the best) and the cosine between
the question (as understood, for a follow-up) and the passage's text under all-MiniLM-L6-v2
(index/semantic_model), the passages holding the kind of answer asked for (a date for "when", a
number for "how many") first. The first passage is the best of the words' first SHOWN; the next
are the rest of those, or for a follow-up the best of the rest of the words' first
FOLLOW_UP_POOL (the words alone often repeat the subject the earlier turns carried). So every
abstention stays the lexical engine's, and the model picks which of its passages come first;
for a standalone question over a small index it may also put a window of its own first, when
that window is much closer in meaning than the words' first passage (index/meaning_first).
Across every question set, reordering by the cosine alone gains nothing (the model is no
ranking); mixed over every candidate it drifts to passages on the topic that do not answer
(NOTES-sem.md); mixed over the first few, it moves the answer first where the words alone put it
second or third (README).

Apart from index/meaning_first's windows, nothing is embedded ahead of time: a question and
three passages are four forward passes (~5-40 ms each, one call to the model), cached by text in
memory and, for the passages (the sources' own text, never a question), across processes in the
user cache (index/vector_store).
Above MAX_SENTENCES the stage is off, so the speed targets of big indexes hold: there the lexical
order is the answer's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .answer_type import answer_kind
from .errors import SemanticModelError
from .meaning_first import MAX_SENTENCES as MEANING_FIRST_MAX
from .meaning_first import WindowMatrix, closest_first
from .models import Answer
from .semantic_model import Vectors, load_encoder, vector_store

if TYPE_CHECKING:
    from .corpus import Index
    from .vector_store import VectorStore

log = logging.getLogger(__name__)

SHOWN = 3  # the passages an answer shows by default: the ones reordered
# A follow-up's second and third passages are chosen among the words' first FOLLOW_UP_POOL, its
# first among their first SHOWN as for any answer. Pre-registered before a held-out conversation
# set was written (blind9: hit@3 +2 of 40 follow-ups, hit@1 unchanged); the words' first three
# alone often repeat the subject the earlier turns carried (docs/dev-notes/NOTES-rounds.md).
FOLLOW_UP_POOL = 5
MAX_SENTENCES = 50_000  # ~1,000 news reports; above this, the lexical order alone
_CACHED_TEXTS = 4_096  # questions and passages whose vectors are kept (1.5 KB each)
_LOOKUP_BATCH = 256  # passages looked up in the store at once when keeping them ahead of time
_WARM_BATCH = 4  # passages embedded at once then: a stop is seen within ~0.3 s (a batch, a rest)


class Embedder(Protocol):
    """What embeds texts: unit-length vectors, one row per text."""

    def embed(self, texts: list[str]) -> Vectors:
        """The texts' embeddings."""
        ...


class SemanticOrder:
    """Orders the passages an answer shows first by a mix of their words' score and meaning."""

    def __init__(self, load: Callable[[], Embedder] | None = None,
                 store: Callable[[], VectorStore] | None = None) -> None:
        """An order with its model loaded lazily; its vectors kept in memory and in `store`.

        `load`: the model, the real one by default. `store`: where its passages' vectors persist
        across processes; by default the real model's store, and none for a model passed in (a
        stand-in must never write vectors under the real model's name).
        """
        self._load = load or load_encoder
        self._open_store = store if store is not None else (
            vector_store if load is None else None)
        self._encoder: Embedder | None = None
        self._unavailable = False
        self._preloading = False
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()  # text → vector, oldest first
        self._cache_lock = threading.Lock()
        self._windows = WindowMatrix()

    def pool(self, top: int, *, follow_up: bool, weight: float, sentences: int) -> int:
        """How many passages to ask the words for, to show `top`: more for a follow-up it orders.

        Only when `top` shows at least SHOWN: the first passage comes from the words' first
        SHOWN, so the candidates can only ever be second or third.
        """
        used = follow_up and top >= SHOWN and _used(weight, sentences)
        return max(top, FOLLOW_UP_POOL) if used else top

    def reordered(self, answer: Answer, *, weight: float, sentences: int) -> Answer:
        """The answer with its first passages in the mixed order (as it was when off or unsure).

        `weight`: the meaning's share of the mix (0 = off); `sentences`: the size of the index
        the answer came from (the stage is off above MAX_SENTENCES). The first passage is the
        best of the words' first SHOWN; a follow-up's (an answer with `understood_as`) next two
        are the best of the rest of its first FOLLOW_UP_POOL, any answer's the rest of its first
        SHOWN. Passages past those keep the words' order.
        """
        text = (answer.understood_as or answer.question).strip()
        pool = answer.passages[:FOLLOW_UP_POOL if answer.understood_as else SHOWN]
        if not (answer.answered and len(pool) > 1 and text and _used(weight, sentences)
                and not self._unavailable):
            return answer
        try:
            passages = [p.text for p in pool]
            vectors = self._vectors([text, *passages], storable=frozenset(passages),
                                    weight=weight, sentences=sentences)
        except SemanticModelError as exc:  # the weights failed their deferred hash check
            self._turn_off(exc)
            return answer
        if vectors is None:  # the model cannot be loaded (said once)
            return answer
        question, *vectors = vectors
        best = pool[0].score or 1.0
        mixed = [(1.0 - weight) * p.score / best + weight * float(question @ vector)
                 for p, vector in zip(pool, vectors, strict=True)]
        # The model cannot tell what kind of answer is asked for ("when", "how many"): a passage
        # holding it never goes below one that does not (index/answer_type).
        kind = answer_kind(text)
        holds = [kind is None or kind(p.text) for p in pool]

        def ranked(indexes: range | list[int]) -> list[int]:
            # Sorted is stable: ties keep the words' order.
            return sorted(indexes, key=lambda i: (not holds[i], -mixed[i]))

        lead = ranked(range(min(SHOWN, len(pool))))[0]
        order = [lead, *ranked([i for i in range(len(pool)) if i != lead])[:SHOWN - 1]]
        if order == list(range(len(order))):
            return answer
        first = tuple(replace(pool[i], rank=rank) for rank, i in enumerate(order, start=1))
        rest = [p for i, p in enumerate(answer.passages) if i not in order]
        return replace(answer, passages=first + tuple(
            replace(p, rank=rank) for rank, p in enumerate(rest, start=len(first) + 1)))

    def closest_first(self, index: Index, answer: Answer, *, context: int, margin: float,
                      weight: float) -> Answer:
        """The answer with the window closest in meaning first (index/meaning_first).

        A follow-up is compared as it was read (its "understood as" line). Its windows are
        embedded once per served index (kept in the store across processes).
        """
        reading = (answer.understood_as or answer.question).strip()
        if not (margin and answer.answered and reading and answer.passages
                and _used(weight, index.size)
                and index.size <= MEANING_FIRST_MAX and not self._unavailable):
            return answer
        first = answer.passages[0].text
        try:
            matrix = self._windows.get(index, context, lambda texts: self._all_vectors(
                texts, weight=weight, sentences=index.size))
            vectors = self._vectors([reading, first], storable=frozenset((first,)),
                                    weight=weight, sentences=index.size)
        except SemanticModelError as exc:
            self._turn_off(exc)
            return answer
        if matrix is None or vectors is None:
            return answer
        return closest_first(index, answer, matrix, vectors[0], vectors[1], context=context,
                             margin=margin, asked=reading)

    def _all_vectors(self, texts: list[str], *, weight: float,
                     sentences: int) -> np.ndarray | None:
        """Every text's vector, one row each: from the store, the rest embedded and stored."""
        store = self._open_store() if self._open_store is not None else None
        kept: dict[str, np.ndarray] = {}
        if store is not None:
            for chunk in _batched(texts, _LOOKUP_BATCH):
                kept.update(store.get(chunk))
        missing = list(dict.fromkeys(t for t in texts if t not in kept))
        if missing:
            if not self.prepared(weight=weight, sentences=sentences) or self._encoder is None:
                return None
            computed = list(zip(missing, self._encoder.embed(missing), strict=True))
            kept.update(computed)
            if store is not None:
                store.put(computed)
        return np.stack([kept[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def keep_passages(self, texts: Iterable[str], *, weight: float, sentences: int,
                      stop: Callable[[], bool]) -> int:
        """Embed and keep the passages not kept yet, a few at a time; how many were embedded.

        For a serving process (Engine.warm), so that its answers embed only their question. It
        uses at most half of one core (it sleeps as long as each batch took) and returns early
        once `stop()` (a newer index is served), or when the store or the model is unusable.
        """
        if not self.prepared(weight=weight, sentences=sentences) or self._open_store is None:
            return 0  # prepared() first: a serving process loads the model here either way
        store, done = self._open_store(), 0
        for chunk in _batched(texts, _LOOKUP_BATCH):
            kept = store.get(chunk)
            for batch in _batched(dict.fromkeys(t for t in chunk if t not in kept), _WARM_BATCH):
                encoder = self._encoder
                if stop() or encoder is None or not store.working:
                    return done
                started = time.perf_counter()
                try:
                    vectors = encoder.embed(batch)
                except SemanticModelError as exc:
                    self._turn_off(exc)
                    return done
                store.put(zip(batch, vectors, strict=True))
                done += len(batch)
                time.sleep(time.perf_counter() - started)
        return done

    def preload(self, *, weight: float, sentences: int) -> None:
        """Start loading the model on a thread if answers from this index use it; no waiting.

        Called before the words' answer is worked out, so the load (and the weights' hash
        check) overlaps it instead of following it: ~0.03 s of a one-shot `citebot ask`.
        """
        if (not _used(weight, sentences) or self._preloading or self._encoder is not None
                or self._unavailable):
            return
        self._preloading = True
        threading.Thread(target=self.prepared, kwargs={"weight": weight, "sentences": sentences},
                         name="citebot-model-load", daemon=True).start()

    def prepared(self, *, weight: float, sentences: int) -> bool:
        """Whether answers from an index this size use the order: its model loaded now if so.

        False when off (`weight` 0, above MAX_SENTENCES) or when the model cannot be loaded
        (logged once).
        """
        if not _used(weight, sentences):
            return False
        if self._encoder is not None or self._unavailable:
            return self._encoder is not None
        with self._lock:
            if self._encoder is None and not self._unavailable:
                try:
                    self._encoder = self._load()
                except SemanticModelError as exc:
                    self._turn_off(exc)
        return self._encoder is not None

    def _turn_off(self, error: SemanticModelError) -> None:
        """Answer in the word order from now on, saying why once."""
        if not self._unavailable:
            log.warning("semantic ordering off: %s; passages keep the word order", error)
        self._unavailable, self._encoder = True, None

    def _vectors(self, texts: list[str], *, storable: frozenset[str], weight: float,
                 sentences: int) -> list[np.ndarray] | None:
        """The texts' embeddings: from memory, from the store (`storable` only), or from one call.

        Only the sources' own text is kept on disk (`storable`: the passages), never a question,
        which users typed. One call, so the weights' hash is waited for once, after all of them
        are computed (index/model_weights): it overlaps the forward passes instead of following
        the first. When every vector is known, the model is not waited for at all. None when the
        model is needed and cannot be loaded.
        """
        with self._cache_lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        on_disk = [t for t in missing if t in storable]
        store = self._open_store() if self._open_store is not None and on_disk else None
        if store is not None:
            found.update(store.get(on_disk))
            missing = [t for t in missing if t not in found]
        if missing:
            if not self.prepared(weight=weight, sentences=sentences):
                return None
            encoder = self._encoder
            if encoder is None:  # turned off by another thread meanwhile
                raise SemanticModelError("the model was turned off")
            computed = list(zip(missing, encoder.embed(missing), strict=True))
            found.update(computed)
            if store is not None:  # only vectors of weights that passed their hash check
                store.put((t, v) for t, v in computed if t in storable)
        with self._cache_lock:
            for text in texts:
                self._cache[text] = found[text]
                self._cache.move_to_end(text)
            while len(self._cache) > _CACHED_TEXTS:
                self._cache.popitem(last=False)
        return [found[t] for t in texts]


def _used(weight: float, sentences: int) -> bool:
    """Whether answers from an index of this many sentences are ordered by meaning at all."""
    return bool(weight) and sentences <= MAX_SENTENCES


def _batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """The items in lists of `size` (the last one shorter): itertools.batched before Python 3.12."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
