"""A change pulse that test helpers wait on instead of sleeping."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Changes:
    """Wakes waiters whenever the fake records something (a request, a dispatch, a failure)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def pulse(self) -> None:
        """Wake every current waiter."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        """Wait until `predicate()` is true; TimeoutError naming `what` otherwise."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue
