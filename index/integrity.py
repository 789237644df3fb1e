"""Whether the served index generation's checksums hold: checked at load, or in the background.

A small index is checked as it loads. A big one (store.VERIFY_LIMIT_BYTES) would make every
start read every byte, so it is served at once and checked on a background thread; a failed
check, or a question failing while the check is pending, makes the Engine rebuild it.
"""

from __future__ import annotations

import logging
import threading
from enum import Enum
from pathlib import Path

from .errors import IndexFormatError
from .store import verify_generation

log = logging.getLogger(__name__)


class State(Enum):
    """What is known about the served generation."""

    UNKNOWN = "unknown"
    PENDING = "pending"
    VERIFIED = "verified"
    DAMAGED = "damaged"


class IntegrityCheck:
    """The checksum state of the generation served from one index folder."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._state = State.UNKNOWN
        self._thread: threading.Thread | None = None

    def loaded(self, generation: str, *, verified: bool, background: bool = True) -> None:
        """A generation is served now: known sound, or to be checked (in the background)."""
        with self._lock:
            self._generation = generation
            self._state = State.VERIFIED if verified else State.PENDING
        if not verified and background:
            self._thread = threading.Thread(target=self._verify, args=(generation,),
                                            name="citebot-index-check", daemon=True)
            self._thread.start()

    def _verify(self, generation: str) -> bool:
        """Check a generation's checksums and record the outcome; whether it is sound."""
        try:
            verify_generation(self._folder, generation)
            state = State.VERIFIED
        except IndexFormatError as exc:
            log.warning("index check failed: %s", exc)
            state = State.DAMAGED
        with self._lock:
            if self._generation == generation:
                self._state = state
        return state is State.VERIFIED

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background check to finish (for tests and benchmarks)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def damaged(self) -> bool:
        """Whether the served generation failed its check."""
        return self._state is State.DAMAGED

    def verified_now(self) -> bool:
        """Whether the served generation is sound, checking it now if that is still pending."""
        with self._lock:
            state, generation = self._state, self._generation
        if state is State.PENDING and generation is not None:
            return self._verify(generation)
        return state is State.VERIFIED
