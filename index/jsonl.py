"""Reading JSON-lines input (question batches, question files): each line checked on its own."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError


@dataclass(frozen=True, kw_only=True)
class JsonLine:
    """One non-blank input line: its 1-based number, and its object or why it is unusable."""

    number: int
    row: Mapping[str, Any] = field(default_factory=dict)
    error: str = ""


def read_json_lines(lines: Iterable[bytes]) -> Iterator[JsonLine]:
    """Each non-blank line as a JSON object, or with an error; a bad line never stops the rest."""
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield JsonLine(number=number,
                           error=f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            continue
        try:
            row = json.loads(text)
        except ValueError as exc:
            yield JsonLine(number=number, error=f"not JSON ({exc})")
            continue
        if not isinstance(row, dict):
            yield JsonLine(number=number, error=f"expected a JSON object, not {_kind(row)}")
        elif _has_lone_surrogate(row):
            yield JsonLine(number=number,
                           error="text holds a lone surrogate (an invalid \\uD8xx escape)")
        else:
            yield JsonLine(number=number, row=row)


def text_field(row: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    """A string field of a line's object: absent or null is None (an error when required)."""
    value = row.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise UsageError(f"{key!r} must be a string, not {_kind(value)}")
    if required and not value.strip():
        raise UsageError(f"{key!r} is empty")
    return value


def _kind(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _has_lone_surrogate(value: object) -> bool:
    """Whether any string in a decoded JSON value cannot be written as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False
