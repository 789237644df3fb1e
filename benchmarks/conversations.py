"""Follow-ups the way acceptance measures them: through the CLI, conversations interleaved.

Every turn of a conversation file (shared/eval/conversations_dev.jsonl's format) goes through
`citebot chat --json --batch` with the conversations interleaved round-robin; every follow-up's
written-out form (`meant`) goes through `citebot ask --json --batch`. Prints hit@1 and hit@3 of
both, per kind, first turns against `ask`, how many uncovered follow-ups were declined, each
fold (crc32 of the conversation id, mod 2), and follow-ups after a right or a wrong turn.

    .venv/bin/python benchmarks/conversations.py FILE [--sources DIR] [--extra-sources DIR]
                                                     [--shifts]

`--shifts` checks that a new subject asked without "different question:" is not pulled toward
the conversation it interrupts: its chat@1 should match its ask@1.

`--extra-sources` copies a folder's reports next to the sources (shared/eval/multi_dev/sources).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
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
    parser.add_argument("--shifts", action="store_true",
                        help="score unmarked new subjects: each conversation's first turn asked "
                             "after two turns of every other one (kind 'shift')")
    args = parser.parse_args()
    conversations = [json.loads(line) for line in args.file.read_text().splitlines() if line]
    if args.shifts:
        conversations = _shifts(conversations)
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
    _report(_outcomes(turns, chat, plain))


def _shifts(conversations: list[dict]) -> list[dict]:
    """Conversations that change the subject without saying so: two turns of one, then the
    first turn of another (kind "shift"; written out, it is itself)."""
    out = []
    for talk in conversations:
        for other in conversations:
            if other is not talk:
                shift = {**other["turns"][0], "kind": "shift", "meant": other["turns"][0]["say"]}
                out.append({"id": f"{talk['id']}>{other['id']}",
                            "turns": [*talk["turns"][:2], shift]})
    return out


Hits = tuple[bool, bool, bool, bool]  # chat@1, chat@3, ask@1, ask@3


@dataclass(frozen=True)
class Outcome:
    """One turn's hits, its kind and conversation, and whether the turn before it was right."""

    conversation: str
    kind: str
    hits: Hits
    answered: bool
    after_right: bool | None  # None for a conversation's first turn


def _outcomes(turns: list[tuple[str, dict]], chat: list[dict],
              plain: list[dict]) -> list[Outcome]:
    """Each turn scored in chat and written out, in file order."""
    out, last_right = [], {}
    for (cid, turn), in_chat, written in zip(turns, chat, plain, strict=True):
        expect = turn["expect"]
        hits = (_right(in_chat, expect, 1), _right(in_chat, expect, 3),
                _right(written, expect, 1), _right(written, expect, 3))
        out.append(Outcome(cid, turn.get("kind", "first"), hits, in_chat["answered"],
                           last_right.get(cid)))
        last_right[cid] = hits[0]
    return out


def _line(label: str, rows: list[Hits]) -> str:
    """One table line: a label, a count and the four shares."""
    shares = "  ".join(f"{sum(r[i] for r in rows) / len(rows):.2f}" if rows else " -  "
                       for i in range(4))
    return f"{label:<12}{len(rows):>4}  {shares}"


def _report(outcomes: list[Outcome]) -> None:
    """Per kind, all follow-ups, each fold, after a right or wrong turn, and wrong declines."""
    print(f"{'kind':<12}{'n':>4}  chat@1 chat@3  ask@1 ask@3   (uncovered: share declined)")
    for kind in sorted({o.kind for o in outcomes}):
        print(_line(kind, [o.hits for o in outcomes if o.kind == kind]))
    follow = [o for o in outcomes if o.kind not in ("first", "uncovered")]
    print(_line("follow-ups", [o.hits for o in follow]))
    # Folds fixed by the conversation id (NOTES-follow.md): set on one, check on the other.
    for fold in (0, 1):
        in_fold = [o.hits for o in follow if _fold(o.conversation) == fold]
        print(_line(f"  fold {'AB'[fold]}", in_fold))
    for after, label in ((True, "right"), (False, "wrong")):
        rows = [o for o in follow if o.after_right is after]
        print(f"after a {label} turn: {sum(o.hits[0] for o in rows)}/{len(rows)} right at 1")
    print(f"answerable follow-ups declined: {sum(not o.answered for o in follow)}/{len(follow)}")


def _fold(conversation: str) -> int:
    """A conversation's fold: crc32 of its id, mod 2."""
    return zlib.crc32(conversation.encode()) % 2

if __name__ == "__main__":
    main()
