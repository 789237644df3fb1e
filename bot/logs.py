"""Logging for the process, set up once at the entry point: one line a record, on stderr."""

from __future__ import annotations

import logging
import sys

_HANDLER_NAME = "citebot"
PLAIN_FORMAT = "%(levelname)s %(name)s: %(message)s"
TIMESTAMPED_FORMAT = "%(asctime)s " + PLAIN_FORMAT  # the bot runs for days: say when


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record comes (click's test runner swaps it)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        """Ignored: the stream is always the current standard error."""


def configure_logging(level: int | str, *, timestamps: bool) -> None:
    """Send log records at `level` and above to stderr, in the plain or timestamped format."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = _StderrHandler()
        handler.set_name(_HANDLER_NAME)
        root.addHandler(handler)
    handler.setFormatter(logging.Formatter(TIMESTAMPED_FORMAT if timestamps else PLAIN_FORMAT))
    root.setLevel(level)
