"""JSON lines in, one JSON object a line out: the batch mode of `ask` and `chat`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import click

from index.errors import UsageError
from index.jsonl import read_json_lines

_NAMED_LINES = 10  # the closing error names at most this many failed lines


def echo_json_lines(lines: Iterable[bytes],
                    answer: Callable[[Mapping[str, Any]], dict[str, Any]]) -> None:
    """Answer each line's object in order; a bad line gets {"line", "error"} in its place.

    The rest are answered all the same; then a UsageError names the lines that failed.
    """
    failed = []
    for line in read_json_lines(lines):
        try:
            if line.error:
                raise UsageError(line.error)
            out = answer(line.row)
        except UsageError as exc:  # this line's mistake: say so in its place, answer the rest
            failed.append(line.number)
            out = {"line": line.number, "error": str(exc)}
        click.echo(json.dumps(out, ensure_ascii=False))
    if failed:
        raise UsageError(_failed_lines(failed))


def _failed_lines(failed: list[int]) -> str:
    """The closing error naming the failed lines: the first few, and how many more."""
    see = '(see the "error" objects)'
    if len(failed) <= _NAMED_LINES:
        return f"batch line{'s' * (len(failed) > 1)} {', '.join(map(str, failed))} failed {see}"
    named = ", ".join(map(str, failed[:_NAMED_LINES]))  # a whole file failing: not every number
    return f"{len(failed)} batch lines failed: {named} and {len(failed) - _NAMED_LINES} more {see}"
