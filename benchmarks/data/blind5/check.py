#!/usr/bin/env python3
"""Check blind5's questions and conversations against the 13 reports they are about.

Run: python3 check.py [-v]   (stdlib only; exits 1 on any error)

Checks the shape of questions.jsonl and conversations.jsonl, that every `expect` substring
occurs verbatim (exact case, punctuation and quote characters) in one of the 13 source files,
and the counts the README states; prints, for every question or turn whose `expect` is null,
which of its words the corpus has (a hard negative shares many of them).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from blind_checks import check_expect  # noqa: E402

# The ten multi_dev reports live outside the repo; CITEBOT_MULTI_DEV overrides where.
MULTI_DEV = Path(os.environ.get("CITEBOT_MULTI_DEV", "/work/shared/eval/multi_dev/sources"))
SOURCE_GLOBS = [
    (REPO / "sources", "*.md"),
    (MULTI_DEV, "*.md"),
    (REPO / "benchmarks" / "data" / "blind3" / "sources", "*.md"),
]
EXPECTED_SOURCES = 13

QUESTION_KEYS = {"question", "expect"}
FIRST_TURN_KEYS = {"say", "expect"}
FOLLOW_UP_KEYS = {"say", "kind", "meant", "alone", "expect"}
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}

# What the README promises; the check fails when the files drift from it.
WANT = {
    "answerable": 50,
    "several": 20,
    "off_topic": 12,
    "conversations": 12,
    "uncovered": 6,
    "new": 2,
}

STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from about into over after before than then
    is are was were be been being do does did done has have had having it its it's this that these
    those there their they them he she his her him we you your i me my our us what whats what's
    who whos who's whom which when where why how rn any anyone some all just even really still now
    yet ever much many more most so too very not no can could would should will wont won't get
    got says said say like know one two way again lol pls thing stuff next last year
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def load_sources() -> dict[str, str]:
    """Read the 13 reports, keyed by file name."""
    texts: dict[str, str] = {}
    for folder, pattern in SOURCE_GLOBS:
        for path in sorted(folder.glob(pattern)):
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def load_jsonl(path: Path, errors: list[str]) -> list[dict]:
    """Parse one JSON object a line, recording bad lines as errors."""
    rows: list[dict] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{number}: blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{number}: not JSON ({exc})")
            continue
        if not isinstance(row, dict):
            errors.append(f"{path.name}:{number}: not an object")
            continue
        rows.append(row)
    return rows


def words_in_corpus(text: str, corpus_lower: str) -> tuple[list[str], list[str]]:
    """Split a null item's content words into those the corpus has and those it lacks."""
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'\-]*", text.lower()) if w not in STOPWORDS]
    have = [w for w in words if re.search(r"\b" + re.escape(w), corpus_lower)]
    return have, [w for w in words if w not in have]


def check_questions(
    rows: list[dict], sources: dict[str, str], errors: list[str], verbose: bool
) -> dict[str, int]:
    """Check questions.jsonl row by row and count its kinds."""
    counts = {"answerable": 0, "several": 0, "off_topic": 0}
    per_file = dict.fromkeys(sources, 0)
    corpus_lower = "\n".join(sources.values()).lower()
    for number, row in enumerate(rows, 1):
        where = f"questions.jsonl:{number}"
        if set(row) != QUESTION_KEYS:
            errors.append(f"{where}: keys {sorted(row)} != {sorted(QUESTION_KEYS)}")
            continue
        if not isinstance(row["question"], str) or not row["question"].strip():
            errors.append(f"{where}: empty question")
            continue
        files = check_expect(where, row["expect"], sources, errors)
        if row["expect"] is None:
            counts["off_topic"] += 1
            have, lack = words_in_corpus(row["question"], corpus_lower)
            print(
                f"null Q{number}: {row['question']!r}\n    corpus has: {have}\n    absent: {lack}"
            )
            continue
        counts["answerable"] += 1
        counts["several"] += len(files) >= 2
        for name in files:
            per_file[name] += 1
        if verbose:
            names = ", ".join(sorted(name[:2] for name in files))
            print(f"Q{number} [{len(files)} files: {names}] {row['question']}")
    print("answerable questions per source:", per_file)
    for name, hits in per_file.items():
        if not hits:
            errors.append(f"questions.jsonl: no answerable question touches {name}")
    return counts


def check_turn(where: str, turn: object, first: bool, errors: list[str]) -> bool:
    """Check one turn's keys and string fields; return whether it is well formed."""
    if not isinstance(turn, dict):
        errors.append(f"{where}: turn is not an object")
        return False
    keys = FIRST_TURN_KEYS if first else FOLLOW_UP_KEYS
    if set(turn) != keys:
        errors.append(f"{where}: keys {sorted(turn)} != {sorted(keys)}")
        return False
    for key in keys - {"expect"}:
        if not isinstance(turn[key], str) or not turn[key].strip():
            errors.append(f"{where}: empty {key}")
            return False
    if not first and turn["kind"] not in KINDS:
        errors.append(f"{where}: unknown kind {turn['kind']!r}")
        return False
    if not first and (turn["kind"] == "uncovered") != (turn["expect"] is None):
        errors.append(f"{where}: kind 'uncovered' exactly when expect is null")
        return False
    return True


def check_conversations(
    rows: list[dict], sources: dict[str, str], errors: list[str], verbose: bool
) -> dict[str, int]:
    """Check conversations.jsonl and count conversations, follow-ups and their kinds."""
    counts = {"conversations": len(rows), "follow_ups": 0, "uncovered": 0, "new": 0}
    corpus_lower = "\n".join(sources.values()).lower()
    seen: set[str] = set()
    for number, row in enumerate(rows, 1):
        where = f"conversations.jsonl:{number}"
        if set(row) != {"id", "corpus", "turns"}:
            errors.append(f"{where}: keys {sorted(row)} != ['corpus', 'id', 'turns']")
            continue
        if row["id"] in seen:
            errors.append(f"{where}: duplicate id {row['id']!r}")
        seen.add(row["id"])
        if row["corpus"] != "multi_dev":
            errors.append(f"{where}: corpus must be 'multi_dev'")
        turns = row["turns"]
        if not isinstance(turns, list) or not 3 <= len(turns) <= 5:
            errors.append(f"{where}: needs 3-5 turns")
            continue
        if turns[0].get("expect") is None:
            errors.append(f"{where}: the first turn must be answerable")
        for index, turn in enumerate(turns):
            spot = f"{where} {row['id']} turn {index + 1}"
            if not check_turn(spot, turn, index == 0, errors):
                continue
            check_expect(spot, turn["expect"], sources, errors)
            if index:
                counts["follow_ups"] += 1
                counts["uncovered"] += turn["kind"] == "uncovered"
                counts["new"] += turn["kind"] == "new"
            if turn["expect"] is None:
                have, lack = words_in_corpus(turn["meant"], corpus_lower)
                print(
                    f"null {row['id']} turn {index + 1}: {turn['say']!r} = {turn['meant']!r}\n"
                    f"    corpus has: {have}\n    absent: {lack}"
                )
            elif verbose:
                print(f"{row['id']} turn {index + 1} [{turn.get('kind', 'first')}] {turn['say']}")
    return counts


def main() -> int:
    """Run every check, print the counts and return the exit status."""
    verbose = "-v" in sys.argv[1:]
    errors: list[str] = []
    sources = load_sources()
    if len(sources) != EXPECTED_SOURCES:
        errors.append(
            f"found {len(sources)} source files, expected {EXPECTED_SOURCES}: {sorted(sources)}"
        )
    questions = load_jsonl(HERE / "questions.jsonl", errors)
    conversations = load_jsonl(HERE / "conversations.jsonl", errors)
    counts = check_questions(questions, sources, errors, verbose)
    counts |= check_conversations(conversations, sources, errors, verbose)
    for key, want in WANT.items():
        # "several" is a floor (at least 20 questions answered in several reports); the rest exact.
        short = counts[key] < want if key == "several" else counts[key] != want
        if short:
            floor = ">= " if key == "several" else ""
            errors.append(f"count {key} = {counts[key]}, README says {floor}{want}")
    print("counts:", counts)
    for error in errors:
        print("ERROR:", error)
    print("FAIL" if errors else "OK", f"({len(errors)} errors)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
