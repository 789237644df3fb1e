#!/usr/bin/env python3
"""Consistency checks for the blind7 questions and conversations (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

Checks the shape of questions.jsonl and conversations.jsonl, that every `expect` substring occurs
verbatim in one of the 13 source reports, and prints, for each question or turn with `expect: null`,
which of its words the corpus contains (so the hard negatives are visible). Exits 1 on any error.
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


def check_questions(
    rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool
) -> tuple[int, int, int, list[str]]:
    """Check questions.jsonl; return answerable, several-report, off-topic counts, null texts."""
    answerable = several = 0
    nulls = []
    for number, row in enumerate(rows, 1):
        where = f"questions.jsonl:{number}"
        if set(row) != {"question", "expect"} or not isinstance(row.get("question"), str):
            errors.append(f"{where}: keys must be exactly question, expect")
            continue
        files = check_expect(where, row["expect"], texts, errors)
        if row["expect"] is None:
            nulls.append(row["question"])
            continue
        answerable += 1
        several += len(files) >= 2
        if verbose:
            print(f"  {where}: {len(files)} file(s) {sorted(files)}")
    return answerable, several, len(nulls), nulls


def check_conversations(
    rows: list[dict], texts: dict[str, str], errors: list[str]
) -> tuple[dict, list[str]]:
    """Check conversations.jsonl; return counts by kind and the uncovered turns' meant texts."""
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
    return counts, nulls


def main() -> int:
    """Run all checks, print a summary and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multi-dev", type=Path, default=DEFAULT_MULTI_DEV,
                        help="folder holding the ten multi_dev reports")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the files each question hits")
    args = parser.parse_args()
    errors: list[str] = []
    files = source_files(args.multi_dev)
    if len(files) != 13:
        errors.append(f"expected 13 source files, found {len(files)}: {[f.name for f in files]}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    corpus_lower = "\n".join(texts.values()).lower()

    questions = load_jsonl(HERE / "questions.jsonl", errors)
    answerable, several, offtopic, qnulls = check_questions(questions, texts, errors, args.verbose)
    conversations = load_jsonl(HERE / "conversations.jsonl", errors)
    counts, cnulls = check_conversations(conversations, texts, errors)

    print(f"sources: {len(files)}")
    print(f"questions: {answerable} answerable ({several} answered in several reports), "
          f"{offtopic} off-topic")
    print("conversations: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for label, texts_null in (("off-topic question", qnulls), ("uncovered turn", cnulls)):
        for text in texts_null:
            has, lacks = corpus_words(text, corpus_lower)
            print(f"{label}: {text!r}\n    corpus has: {', '.join(has) or '-'}; "
                  f"lacks: {', '.join(lacks) or '-'}")
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
