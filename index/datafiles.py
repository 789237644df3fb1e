"""The word lists shipped in index/data: one entry a line, `#` comments and blank lines skipped."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """The stripped entries of data/<name> (its comment and blank lines left out)."""
    text = resources.files("index").joinpath("data", name).read_text(encoding="utf-8")
    stripped = (line.strip() for line in text.splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))
