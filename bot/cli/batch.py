"""JSON lines in, one JSON object a line out: the batch mode of `ask` and `chat`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import click

from index.errors import UsageError
from index.jsonl import read_json_lines


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
        raise UsageError(f"batch line{'s' * (len(failed) > 1)} "
                         f"{', '.join(map(str, failed))} failed (see the \"error\" objects)")
