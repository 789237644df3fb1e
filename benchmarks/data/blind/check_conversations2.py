#!/usr/bin/env python3
"""Consistency checks for conversations2.jsonl (stdlib only).

    python3 benchmarks/data/blind/check_conversations2.py [-v] [--reports DIR] [--file JSONL]

Corpora: "seed" is the bundled article (sources/*.md in the repo); "multi_dev" is the article plus
the ten multi_dev reports (default /work/shared/eval/multi_dev/sources, or --reports DIR, or
$CITEBOT_MULTI_DEV_SOURCES). Front matter is not part of a source's text.

Checks (any failure makes the exit status 1):
  1. every line is {"id", "corpus", "turns"} in that order; ids run b01, b02, ... without gaps;
     corpus is "seed" or "multi_dev"; a conversation has 3 to 5 turns;
  2. the first turn is exactly {"say", "expect"} with a non-null expect; every later turn is
     exactly {"say", "kind", "meant", "alone", "expect"}, its kind one of KINDS, its meant and
     alone non-empty and meant not the same text as say;
  3. expect is null exactly when kind is "uncovered"; otherwise a list of 1 to 3 distinct strings
     of 8 to 60 characters, each occurring verbatim (case, punctuation and quote characters as
     written) in at least one source of the conversation's corpus; -v lists the sources per string;
  4. no `say` repeats inside the file or copies (case-insensitively) a question or turn of the
     public sets in /work/shared/eval (seed_dev, multi_dev/questions, conversations_dev);
  5. every kind occurs at least twice.

It also prints the counts per kind and per corpus, the sources each multi_dev conversation's
answers come from, and, for each uncovered turn, which of its content words the corpus holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

# The sibling script strips a Markdown source's front matter the same way; share it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # check_fresh_questions beside blind/
from check_fresh_questions import read_body, verdict

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CONVERSATIONS = HERE / "conversations2.jsonl"
DEFAULT_REPORTS = Path(os.environ.get(
    "CITEBOT_MULTI_DEV_SOURCES", REPO.parent / "shared" / "eval" / "multi_dev" / "sources"))
KINDS = ("detail", "pronoun", "party", "why", "how", "topic", "return", "new", "uncovered")
FIRST_KEYS = ["say", "expect"]
FOLLOW_KEYS = ["say", "kind", "meant", "alone", "expect"]
# Words too common to tell whether an uncovered turn's subject is in the corpus.
STOP_WORDS_TEXT = """
    a about actually after all also am an and any anyway are as at be been but by can cant could
    did do does doing for from get got had has have he her him his how i if in into is it its just
    like me more most much my no not now of on or our ours out so some still than that thats the
    their them then there these they thier this those tho to too up us was we were what whats when
    where which who whos why will with would you your"""
STOP = set(STOP_WORDS_TEXT.split())


def load_corpora(reports_dir: Path) -> dict[str, dict[str, str]]:
    """Map each corpus name to its sources (name -> body text)."""
    seed = {p.stem: read_body(p) for p in sorted((REPO / "sources").glob("*.md"))}
    reports = {p.stem: read_body(p) for p in sorted(reports_dir.glob("*.md"))}
    return {"seed": seed, "multi_dev": {**seed, **reports}}


def public_says() -> set[str]:
    """Lower-cased questions and turns of the public sets in /work/shared/eval, when present."""
    found: set[str] = set()
    shared = DEFAULT_REPORTS.parents[1]
    for path in (shared / "seed_dev.jsonl", DEFAULT_REPORTS.parent / "questions.jsonl"):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    found.add(json.loads(line)["question"].strip().lower())
    dev = shared / "conversations_dev.jsonl"
    if dev.exists():
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.update(t["say"].strip().lower() for t in json.loads(line)["turns"])
    return found


def check_expect(where: str, expect: object, sources: dict[str, str], fail: list[str]) -> set[str]:
    """Check one answerable turn's expect list; return the sources that hold its strings."""
    holders: set[str] = set()
    if not isinstance(expect, list) or not 1 <= len(expect) <= 3:
        fail.append(f"{where}: expect must be a list of 1 to 3 strings")
        return holders
    if len(set(map(str, expect))) != len(expect):
        fail.append(f"{where}: expect repeats a string")
    for text in expect:
        if not isinstance(text, str) or not 8 <= len(text) <= 60:
            fail.append(f"{where}: expect {text!r} is not a string of 8-60 characters")
            continue
        hits = [name for name, body in sources.items() if text in body]
        if not hits:
            fail.append(f"{where}: expect {text!r} occurs in no source of the corpus")
        holders.update(hits)
    return holders


def check_turn(where: str, index: int, turn: object, fail: list[str]) -> str | None:
    """Check a turn's keys and fields; return its kind ("first" for turn 1) or None if malformed."""
    if not isinstance(turn, dict):
        fail.append(f"{where}: not an object")
        return None
    keys = FIRST_KEYS if index == 0 else FOLLOW_KEYS
    if list(turn) != keys:
        fail.append(f"{where}: keys must be {keys} in that order, got {list(turn)}")
        return None
    if not isinstance(turn["say"], str) or not turn["say"].strip():
        fail.append(f"{where}: empty say")
    if index == 0:
        if turn["expect"] is None:
            fail.append(f"{where}: the first turn must be answerable")
        return "first"
    kind = turn["kind"]
    if kind not in KINDS:
        fail.append(f"{where}: unknown kind {kind!r}")
    for field in ("meant", "alone"):
        if not isinstance(turn[field], str) or not turn[field].strip():
            fail.append(f"{where}: empty {field}")
    if str(turn["meant"]).strip().lower() == str(turn["say"]).strip().lower():
        fail.append(f"{where}: meant repeats say")
    if (kind == "uncovered") != (turn["expect"] is None):
        fail.append(f"{where}: expect must be null exactly for kind 'uncovered'")
    return kind


def content_words(text: str) -> list[str]:
    """The words of a turn minus stop words, in order, without repeats."""
    words = re.findall(r"[a-z0-9][a-z0-9\-]*", text.lower().replace("\u2019", "'"))
    return [w for w in dict.fromkeys(words) if w not in STOP and len(w) > 1]


def uncovered_words(turn: dict, sources: dict[str, str]) -> str:
    """One line saying which content words of an uncovered turn occur in the corpus."""
    corpus = "\n".join(sources.values()).lower().replace("\u2019", "'")
    words = content_words(f"{turn['say']} {turn['meant']}")
    found = [w for w in words if re.search(r"\b" + re.escape(w), corpus)]
    absent = [w for w in words if w not in found]
    return f"in corpus: {', '.join(found) or '-'}   absent: {', '.join(absent) or '-'}"


def check_conversation(
    number: int, obj: object, corpora: dict[str, dict[str, str]], fail: list[str], verbose: bool
) -> tuple[str, list[str], set[str]]:
    """Check one line; return its corpus, its turns' kinds and the sources its answers come from."""
    where = f"line {number}"
    if not isinstance(obj, dict) or list(obj) != ["id", "corpus", "turns"]:
        fail.append(f"{where}: keys must be id, corpus, turns in that order")
        return "", [], set()
    if obj["id"] != f"b{number:02d}":
        fail.append(f"{where}: id {obj['id']!r} should be b{number:02d}")
    corpus, turns = obj["corpus"], obj["turns"]
    if corpus not in corpora:
        fail.append(f"{where}: corpus {corpus!r} is not seed or multi_dev")
        return "", [], set()
    if not isinstance(turns, list) or not 3 <= len(turns) <= 5:
        fail.append(f"{where}: a conversation has 3 to 5 turns")
        return corpus, [], set()
    kinds: list[str] = []
    used: set[str] = set()
    for index, turn in enumerate(turns):
        here = f"{obj['id']} turn {index + 1}"
        kind = check_turn(here, index, turn, fail)
        if kind is None:
            continue
        if index:
            kinds.append(kind)
        if turn["expect"] is None:
            if verbose:
                print(f"  {here} [uncovered] {uncovered_words(turn, corpora[corpus])}")
            continue
        holders = check_expect(here, turn["expect"], corpora[corpus], fail)
        used.update(holders)
        if verbose:
            print(f"  {here} [{kind}] {turn['say']!r}: {', '.join(sorted(holders)) or 'NOWHERE'}")
    return corpus, kinds, used


def main() -> int:
    """Run every check, print counts; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list sources per turn")
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="multi_dev sources")
    parser.add_argument("--file", type=Path, default=CONVERSATIONS, help="conversation file")
    args = parser.parse_args()
    corpora = load_corpora(args.reports)
    fail: list[str] = []
    if len(corpora["seed"]) != 1 or len(corpora["multi_dev"]) != 11:
        fail.append("expected the bundled article and ten reports (1 + 10 sources)")
    public = public_says()
    seen: set[str] = set()
    kind_counts: Counter[str] = Counter()
    corpus_counts: Counter[str] = Counter()
    lines = [ln for ln in args.file.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for number, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            fail.append(f"line {number}: not JSON ({exc})")
            continue
        corpus, kinds, used = check_conversation(number, obj, corpora, fail, args.verbose)
        corpus_counts[corpus] += 1
        kind_counts.update(kinds)
        if corpus == "multi_dev":
            print(f"{obj['id']} answers come from {len(used)} sources: {', '.join(sorted(used))}")
        for turn in obj.get("turns", []) if isinstance(obj, dict) else []:
            say = str(turn.get("say", "")).strip().lower() if isinstance(turn, dict) else ""
            if say in seen:
                fail.append(f"line {number}: say {say!r} repeats an earlier turn")
            if say in public:
                fail.append(f"line {number}: say {say!r} copies a public question or turn")
            seen.add(say)
    for kind in KINDS:
        if kind_counts[kind] < 2:
            fail.append(f"kind {kind!r} occurs {kind_counts[kind]} time(s), fewer than twice")
    follow_ups = sum(kind_counts.values())
    print(f"== {len(lines)} conversations ({dict(corpus_counts)}), {follow_ups} follow-ups")
    for kind in KINDS:
        print(f"  {kind:10s} {kind_counts[kind]}")
    return verdict(fail)


if __name__ == "__main__":
    sys.exit(main())
