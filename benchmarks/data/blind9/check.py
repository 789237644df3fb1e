#!/usr/bin/env python3
"""Consistency checks for the blind9 conversations (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

Checks the shape of conversations.jsonl (ids unique, 3-5 turns, kinds valid, `uncovered` exactly
when `expect` is null), that every `expect` substring occurs verbatim in one of the 13 source
reports, and prints, for each turn with `expect: null`, which of its words the corpus contains (so
the hard negatives are visible). Exits 1 on any error.
"""
import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from blind_checks import (  # noqa: E402
    DEFAULT_MULTI_DEV,
    KINDS,
    check_expect,
    corpus_words,
    load_jsonl,
    source_files,
)


def check_conversations(
    rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool
) -> tuple[dict, dict, list[str]]:
    """Check conversations.jsonl; return overall counts, counts by kind, uncovered meant texts."""
    counts = {"conversations": 0, "follow-ups": 0, "uncovered": 0, "new": 0,
              "several-report turns": 0}
    kinds = {kind: 0 for kind in sorted(KINDS)}
    nulls, ids = [], set()
    for number, conv in enumerate(rows, 1):
        where = f"conversations.jsonl:{number}"
        if not isinstance(conv, dict) or set(conv) != {"id", "corpus", "turns"} \
                or conv.get("corpus") != "multi_dev":
            errors.append(f"{where}: keys must be id, corpus ('multi_dev'), turns")
            continue
        if not isinstance(conv["id"], str) or not conv["id"]:
            errors.append(f"{where}: id must be a non-empty string")
        elif conv["id"] in ids:
            errors.append(f"{where}: duplicate id {conv['id']}")
        ids.add(conv["id"])
        where = f"{where} ({conv['id']})"
        turns = conv["turns"]
        if not isinstance(turns, list) or not 3 <= len(turns) <= 5:
            errors.append(f"{where}: needs 3-5 turns")
            continue
        counts["conversations"] += 1
        first = turns[0]
        if not isinstance(first, dict) or set(first) != {"say", "expect"} \
                or first.get("expect") is None:
            errors.append(f"{where} turn 1: must have say and a non-null expect only")
        else:
            files = check_expect(f"{where} turn 1", first["expect"], texts, errors)
            counts["several-report turns"] += len(files) >= 2
            if verbose:
                print(f"  {where} turn 1: {sorted(files)}")
        for index, turn in enumerate(turns[1:], 2):
            twhere = f"{where} turn {index}"
            keys = {"say", "kind", "meant", "alone", "expect"}
            if not isinstance(turn, dict) or set(turn) != keys:
                errors.append(f"{twhere}: keys must be say, kind, meant, alone, expect")
                continue
            for key in ("say", "meant", "alone"):
                if not isinstance(turn[key], str) or not turn[key].strip():
                    errors.append(f"{twhere}: {key} must be a non-empty string")
            if turn["kind"] not in KINDS:
                errors.append(f"{twhere}: unknown kind {turn['kind']!r}")
            else:
                kinds[turn["kind"]] += 1
            if (turn["kind"] == "uncovered") != (turn["expect"] is None):
                errors.append(f"{twhere}: kind 'uncovered' exactly when expect is null")
            files = check_expect(twhere, turn["expect"], texts, errors)
            counts["several-report turns"] += len(files) >= 2
            if verbose and turn["expect"] is not None:
                print(f"  {twhere} ({turn['kind']}): {sorted(files)}")
            counts["follow-ups"] += 1
            counts["uncovered"] += turn["expect"] is None
            counts["new"] += turn["kind"] == "new"
            if turn["expect"] is None:
                nulls.append(turn["meant"])
    return counts, kinds, nulls


def main() -> int:
    """Run all checks, print a summary and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multi-dev", type=Path, default=DEFAULT_MULTI_DEV,
                        help="folder holding the ten multi_dev reports")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the files each answerable turn hits")
    args = parser.parse_args()
    errors: list[str] = []
    files = source_files(args.multi_dev)
    if len(files) != 13:
        errors.append(f"expected 13 source files, found {len(files)}: {[f.name for f in files]}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    corpus_lower = "\n".join(texts.values()).lower()

    conversations = load_jsonl(HERE / "conversations.jsonl", errors)
    counts, kinds, cnulls = check_conversations(conversations, texts, errors, args.verbose)

    print(f"sources: {len(files)}")
    print("conversations: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    print("follow-ups by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    for text in cnulls:
        has, lacks = corpus_words(text, corpus_lower)
        print(f"uncovered turn: {text!r}\n    corpus has: {', '.join(has) or '-'}; "
              f"lacks: {', '.join(lacks) or '-'}")
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
