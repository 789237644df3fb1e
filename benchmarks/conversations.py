"""Follow-ups the way acceptance measures them: through the CLI, conversations interleaved.

Every turn of a conversation file (shared/eval/conversations_dev.jsonl's format) goes through
`citebot chat --json --batch` with the conversations interleaved round-robin; every follow-up's
written-out form (`meant`) goes through `citebot ask --json --batch`. Prints hit@1 and hit@3 of
both, per kind, first turns against `ask`, and how many uncovered follow-ups were declined.

    .venv/bin/python benchmarks/conversations.py FILE [--sources DIR] [--extra-sources DIR]

`--extra-sources` copies a folder's reports next to the sources (shared/eval/multi_dev/sources).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from itertools import zip_longest
from pathlib import Path
from typing import Any

CITEBOT = [str(Path(sys.executable).parent / "citebot")]  # the venv's command, as users run it


def _run(command: str, rows: list[dict[str, Any]], sources: Path, index: Path) -> list[dict]:
    """Feed JSON lines to a citebot batch command; its JSON lines back."""
    text = "".join(json.dumps(r) + "\n" for r in rows)
    done = subprocess.run([*CITEBOT, command, "--json", "--batch", "-", "--sources", str(sources),
                           "--index", str(index)], input=text, capture_output=True, text=True,
                          check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def _right(reply: dict, expect: list[str] | None, k: int) -> bool:
    """A hit within k passages of an answer, or a decline where nothing answers.

    As acceptance scores it: an answerable turn that is declined is a miss at every rank.
    """
    if expect is None:
        return not reply["answered"]
    shown = reply["passages"][:k]
    return reply["answered"] and any(any(e in p["text"] for e in expect) for p in shown)


def main() -> None:
    """Run a conversation file through chat and ask, and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--sources", type=Path, default=Path("sources"))
    parser.add_argument("--extra-sources", type=Path)
    args = parser.parse_args()
    conversations = [json.loads(line) for line in args.file.read_text().splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        shutil.copytree(args.sources, sources)
        if args.extra_sources:
            for path in args.extra_sources.glob("*.md"):
                shutil.copy(path, sources / path.name)
        turns = [t for round_ in zip_longest(*[[(c["id"], t) for t in c["turns"]]
                                               for c in conversations]) for t in round_ if t]
        chat = _run("chat", [{"conversation": cid, "question": t["say"]} for cid, t in turns],
                    sources, Path(tmp) / "index")
        plain = _run("ask", [{"question": t.get("meant") or t["say"]} for _, t in turns], sources,
                     Path(tmp) / "index")
    by_kind: dict[str, list[tuple[bool, bool, bool, bool]]] = defaultdict(list)
    for (_, turn), in_chat, written in zip(turns, chat, plain, strict=True):
        kind = turn.get("kind", "first")
        expect = turn["expect"]
        by_kind[kind].append((_right(in_chat, expect, 1), _right(in_chat, expect, 3),
                              _right(written, expect, 1), _right(written, expect, 3)))
    print(f"{'kind':<12}{'n':>4}  chat@1 chat@3  ask@1 ask@3   (uncovered: share declined)")
    rows_all: list[tuple[bool, bool, bool, bool]] = []
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        if kind not in ("first", "uncovered"):
            rows_all += rows
        print(f"{kind:<12}{len(rows):>4}  " + "  ".join(
            f"{sum(r[i] for r in rows) / len(rows):.2f}" for i in range(4)))
    print(f"{'follow-ups':<12}{len(rows_all):>4}  " + "  ".join(
        f"{sum(r[i] for r in rows_all) / len(rows_all):.2f}" for i in range(4)))


if __name__ == "__main__":
    main()
