"""Check conversations.jsonl: shapes, kinds, counts, and every `expect` string verbatim in a source.

Stdlib only. Usage: python3 check_conversations.py [-v] [--file JSONL]
Sources (13): the bundled article (<repo>/sources/*.md, or $BLIND3_ARTICLE_DIR), the ten reports of
multi_dev ($BLIND3_MULTI_DEV/sources/*.md, default /work/shared/eval/multi_dev) and the two reports
in ./sources. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
KINDS = ("detail", "pronoun", "party", "why", "how", "topic", "return", "new", "uncovered")
FIRST_KEYS = ["say", "expect"]
FOLLOW_KEYS = ["say", "kind", "meant", "alone", "expect"]
CORPUS = "blind3"
N_CONVERSATIONS = 14
FOLLOW_UPS = range(40, 51)  # "about 45"
N_UNCOVERED = 5
N_NEW = range(2, 4)
MIN_TOUCHING_NEW = 6  # conversations with an answer in report 11 or 12
MAX_EXPECT_LEN = 100
NEW_REPORTS = ("11-", "12-")


def strip_front_matter(text: str) -> str:
    """Return the body of a markdown file without its leading --- front matter ---."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def load_sources() -> dict[str, str]:
    """Read the 13 source bodies, keyed by file name."""
    article_dir = Path(os.environ.get("BLIND3_ARTICLE_DIR", REPO / "sources"))
    multi_dev = Path(os.environ.get("BLIND3_MULTI_DEV", "/work/shared/eval/multi_dev"))
    paths = sorted(article_dir.glob("*.md")) + sorted((multi_dev / "sources").glob("*.md"))
    paths += sorted((HERE / "sources").glob("*.md"))
    return {p.name: strip_front_matter(p.read_text(encoding="utf-8")) for p in paths}


def public_says() -> set[str]:
    """Questions of the public sets, so that no first turn copies one."""
    says: set[str] = set()
    shared = Path("/work/shared/eval")
    for path in (shared / "multi_dev" / "questions.jsonl", shared / "seed_dev.jsonl"):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    says.add(json.loads(line)["question"].strip().lower())
    dev = shared / "conversations_dev.jsonl"
    if dev.exists():
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip():
                says.update(t["say"].strip().lower() for t in json.loads(line)["turns"])
    return says


def check_turn(where: str, turn: object, first: bool, errors: list[str]) -> None:
    """Check one turn's keys, kind and expect shape."""
    if not isinstance(turn, dict):
        errors.append(f"{where}: turn is not an object")
        return
    keys = FIRST_KEYS if first else FOLLOW_KEYS
    if list(turn) != keys:
        errors.append(f"{where}: keys {list(turn)} != {keys}")
        return
    for key in keys[:-1]:
        if not isinstance(turn[key], str) or not turn[key].strip():
            errors.append(f"{where}: {key} must be a non-empty string")
    expect = turn["expect"]
    uncovered = not first and turn["kind"] == "uncovered"
    if not first and turn["kind"] not in KINDS:
        errors.append(f"{where}: unknown kind {turn['kind']!r}")
    if uncovered:
        if expect is not None:
            errors.append(f"{where}: an uncovered turn must have expect null")
        return
    if not (isinstance(expect, list) and 1 <= len(expect) <= 4):
        errors.append(f"{where}: expect must be a list of 1-4 strings")
        return
    for item in expect:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_EXPECT_LEN:
            errors.append(f"{where}: bad expect item {item!r}")
    if not first and turn["meant"].strip().lower() == turn["say"].strip().lower():
        errors.append(f"{where}: meant only repeats say")


def check_expects(
    where: str, turn: dict, sources: dict[str, str], verbose: bool, errors: list[str]
) -> set[str]:
    """Check every expect string occurs verbatim in a source; return the files that hold them."""
    files: set[str] = set()
    for item in turn["expect"] or []:
        if not isinstance(item, str):
            continue
        holders = [name for name, body in sources.items() if item in body]
        if not holders:
            errors.append(f"{where}: not verbatim in any source: {item!r}")
        files.update(holders)
        if verbose:
            print(f"  {where}: {item!r} -> {', '.join(holders) or 'NOWHERE'}")
    return files


def words_present(text: str, sources: dict[str, str]) -> list[str]:
    """Words of four letters or more in `text` that some source also holds (near misses)."""
    corpus = " ".join(sources.values()).lower()
    words = sorted(set(re.findall(r"[a-z][a-z'-]{3,}", text.lower())))
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", corpus)]


def check_conversation(
    number: int,
    line: str,
    context: tuple[dict[str, str], set[str], bool],
    kinds: Counter[str],
    errors: list[str],
) -> bool:
    """Check one line; count its follow-up kinds; return whether it answers from report 11 or 12."""
    sources, public, verbose = context
    try:
        conv = json.loads(line)
    except json.JSONDecodeError as exc:
        errors.append(f"line {number}: not JSON ({exc})")
        return False
    if list(conv) != ["id", "corpus", "turns"]:
        errors.append(f"line {number}: keys {list(conv)} != ['id', 'corpus', 'turns']")
        return False
    if conv["id"] != f"c{number:02d}" or conv["corpus"] != CORPUS:
        errors.append(f"line {number}: id {conv['id']!r} / corpus {conv['corpus']!r}")
    turns = conv["turns"]
    if not (isinstance(turns, list) and 3 <= len(turns) <= 5):
        errors.append(f"{conv['id']}: needs 3-5 turns")
        return False
    files: set[str] = set()
    for index, turn in enumerate(turns):
        where = f"{conv['id']} t{index + 1}"
        before = len(errors)
        check_turn(where, turn, index == 0, errors)
        if len(errors) > before:
            continue
        if index == 0 and turn["say"].strip().lower() in public:
            errors.append(f"{where}: first turn copies a public question")
        if index:
            kinds[turn["kind"]] += 1
        if index and turn["kind"] == "uncovered" and verbose:
            held = words_present(turn["say"] + " " + turn["meant"], sources)
            print(f"  {where} (uncovered): words the sources hold: {held}")
        files |= check_expects(where, turn, sources, verbose, errors)
    return any(name.startswith(NEW_REPORTS) for name in files)


def check_totals(conversations: int, kinds: Counter[str], touching_new: int) -> list[str]:
    """Check the set's size and its mix of kinds."""
    errors: list[str] = []
    follow_ups = sum(kinds.values())
    if conversations != N_CONVERSATIONS:
        errors.append(f"{conversations} conversations, want {N_CONVERSATIONS}")
    if follow_ups not in FOLLOW_UPS:
        errors.append(f"{follow_ups} follow-ups, want {FOLLOW_UPS.start}-{FOLLOW_UPS.stop - 1}")
    if kinds["uncovered"] != N_UNCOVERED:
        errors.append(f"{kinds['uncovered']} uncovered turns, want {N_UNCOVERED}")
    if kinds["new"] not in N_NEW:
        errors.append(f"{kinds['new']} new-subject turns, want {N_NEW.start}-{N_NEW.stop - 1}")
    missing = [k for k in KINDS if not kinds[k]]
    if missing:
        errors.append(f"kinds never used: {missing}")
    if touching_new < MIN_TOUCHING_NEW:
        errors.append(f"{touching_new} conversations use report 11 or 12, want {MIN_TOUCHING_NEW}")
    return errors


def main() -> int:
    """Run every check, print counts, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="files holding each expect")
    parser.add_argument("--file", type=Path, default=HERE / "conversations.jsonl")
    args = parser.parse_args()
    sources = load_sources()
    errors: list[str] = []
    if len(sources) != 13:
        errors.append(f"expected 13 source files, found {len(sources)}: {sorted(sources)}")
    context = (sources, public_says(), args.verbose)
    kinds: Counter[str] = Counter()
    lines = [ln for ln in args.file.read_text(encoding="utf-8").splitlines() if ln.strip()]
    touching_new = sum(
        check_conversation(number, line, context, kinds, errors)
        for number, line in enumerate(lines, 1)
    )
    errors += check_totals(len(lines), kinds, touching_new)
    follow_ups = sum(kinds.values())
    print(
        f"{len(lines)} conversations, {len(lines) + follow_ups} turns, {follow_ups} follow-ups; "
        f"{touching_new} use report 11 or 12"
    )
    print("kinds: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    for error in errors:
        print("FAIL", error)
    print("OK" if not errors else f"{len(errors)} failure(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
