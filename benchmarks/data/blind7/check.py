#!/usr/bin/env python3
"""Consistency checks for the blind7 questions and conversations (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

Checks the shape of questions.jsonl and conversations.jsonl, that every `expect` substring occurs
verbatim in one of the 13 source reports, and prints, for each question or turn with `expect: null`,
which of its words the corpus contains (so the hard negatives are visible). Exits 1 on any error.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from blind_checks import KINDS, check_expect, check_set  # noqa: E402


def check_conversations(
    rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool, strict: bool
) -> tuple[list[str], list[str]]:
    """Check conversations.jsonl (verbose, strict unused); return summary line, uncovered texts."""
    counts = {"conversations": 0, "follow-ups": 0, "uncovered": 0, "new": 0}
    nulls, ids = [], set()
    for number, conv in enumerate(rows, 1):
        where = f"conversations.jsonl:{number}"
        if set(conv) != {"id", "corpus", "turns"} or conv.get("corpus") != "multi_dev":
            errors.append(f"{where}: keys must be id, corpus ('multi_dev'), turns")
            continue
        if conv["id"] in ids:
            errors.append(f"{where}: duplicate id {conv['id']}")
        ids.add(conv["id"])
        turns = conv["turns"]
        if not isinstance(turns, list) or not 3 <= len(turns) <= 5:
            errors.append(f"{where}: needs 3-5 turns")
            continue
        counts["conversations"] += 1
        first = turns[0]
        if set(first) != {"say", "expect"} or first["expect"] is None:
            errors.append(f"{where} turn 1: must have say and a non-null expect only")
        check_expect(f"{where} turn 1", first.get("expect"), texts, errors)
        for index, turn in enumerate(turns[1:], 2):
            twhere = f"{where} turn {index}"
            if set(turn) != {"say", "kind", "meant", "alone", "expect"}:
                errors.append(f"{twhere}: keys must be say, kind, meant, alone, expect")
                continue
            if turn["kind"] not in KINDS:
                errors.append(f"{twhere}: unknown kind {turn['kind']!r}")
            if (turn["kind"] == "uncovered") != (turn["expect"] is None):
                errors.append(f"{twhere}: kind 'uncovered' exactly when expect is null")
            check_expect(twhere, turn["expect"], texts, errors)
            counts["follow-ups"] += 1
            counts["uncovered"] += turn["expect"] is None
            counts["new"] += turn["kind"] == "new"
            if turn["expect"] is None:
                nulls.append(turn["meant"])
    return ["conversations: " + ", ".join(f"{v} {k}" for k, v in counts.items())], nulls


if __name__ == "__main__":
    sys.exit(check_set(HERE, __doc__, "list the files each question hits", questions=True,
                       conversations=check_conversations))
