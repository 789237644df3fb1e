#!/usr/bin/env python3
"""Consistency checks for the blind9 conversations (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

Checks the shape of conversations.jsonl (ids unique, 3-5 turns, kinds valid, `uncovered` exactly
when `expect` is null), that every `expect` substring occurs verbatim in one of the 13 source
reports, and prints, for each turn with `expect: null`, which of its words the corpus contains (so
the hard negatives are visible). Exits 1 on any error.
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
# The shared folder beside the checkout (as benchmarks/quality.py finds it).
DEFAULT_MULTI_DEV = REPO.parent / "shared" / "eval" / "multi_dev" / "sources"
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}
# Words too common to say anything about whether the corpus covers a turn.
STOP_WORDS_TEXT = """
    a an the and or but of to in on at for from with by is
    are was were be been am do does did done has have had it its it's
    this that these those what whats what's which who who's whom whose when whens when's where
    wheres where's why how many much any some so than then too very not no yes
    if as about into out up down over after before i me my we our you
    your he him his she her they them their there here rn u r ur w
    thru til till just even actually still now get got going gonna ok okay anyone know
    good this year today these days can could would should will wont won't dont don't
"""
STOP = frozenset(STOP_WORDS_TEXT.split())


def source_files(multi_dev: Path) -> list[Path]:
    """Return the 13 source reports: bundled article, ten multi_dev reports, two blind3 reports."""
    files = sorted((REPO / "sources").glob("*.md"))
    files += sorted(multi_dev.glob("*.md"))
    files += sorted((REPO / "benchmarks" / "data" / "blind3" / "sources").glob("*.md"))
    return files


def load_jsonl(path: Path, errors: list[str]) -> list[dict]:
    """Parse one JSON object a line, recording unparsable lines as errors."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{number}: blank line")
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{number}: bad JSON: {exc}")
    return rows


def check_expect(
    where: str, expect: object, texts: dict[str, str], errors: list[str]
) -> set[str]:
    """Check an expect value's shape and that each substring is in a source; return files hit."""
    if expect is None:
        return set()
    if not isinstance(expect, list) or not 1 <= len(expect) <= 4:
        errors.append(f"{where}: expect must be null or a list of 1-4 strings")
        return set()
    hit: set[str] = set()
    for sub in expect:
        if not isinstance(sub, str) or not sub.strip():
            errors.append(f"{where}: empty or non-string expect item {sub!r}")
            continue
        found = {name for name, text in texts.items() if sub in text}
        if not found:
            errors.append(f"{where}: not verbatim in any source: {sub!r}")
        hit |= found
    return hit


def corpus_words(text: str, corpus_lower: str) -> tuple[list[str], list[str]]:
    """Split a null turn's content words into those the corpus has and those it lacks."""
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower()) if w not in STOP]
    # A word counts with a plain plural or possessive ending ("euro" in "euros"), not as a prefix
    # of a longer word ("bill" in "billion"), so the list shows what BM25 would really match.
    ending = r"(?:s|es|'s|’s)?(?![a-z0-9])"
    has = [w for w in words if re.search(r"(?<![a-z0-9])" + re.escape(w) + ending, corpus_lower)]
    return has, [w for w in words if w not in has]


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
