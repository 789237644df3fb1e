#!/usr/bin/env python3
"""Consistency checks for multi_fresh_questions.jsonl (stdlib only).

    python3 benchmarks/data/check_fresh_questions.py [-v] [--reports DIR]

Sources: the bundled article (sources/*.md in the repo) and the ten multi_dev reports
(default /work/shared/eval/multi_dev/sources, or --reports DIR, or $CITEBOT_MULTI_DEV_SOURCES).

Checks:
  1. every line is {"question": str, "expect": null | [str, ...]} and no question repeats,
     here or (case-insensitively) in the public seed_dev / multi_dev sets when they are found
     and in the conversation turns of benchmarks/data/conversations_*.jsonl;
  2. every `expect` substring (8-60 characters) occurs verbatim, case-sensitively, in the body
     (front matter excluded) of at least one source; -v lists the sources holding each;
  3. for each unanswerable question, prints its content words that do occur in the sources
     and those that do not, so a reviewer can confirm it is adjacent but unanswered;
  4. prints how many answerable questions are answered by the article only, one report only,
     or several files, and how many each source answers.

Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
QUESTIONS = HERE / "multi_fresh_questions.jsonl"
DEFAULT_REPORTS = Path(
    os.environ.get("CITEBOT_MULTI_DEV_SOURCES", "/work/shared/eval/multi_dev/sources")
)
ARTICLE_STEM = "peace-talks-sticking-points"

# Words too common to tell whether an unanswerable question's topic is in the sources.
STOP_WORDS_TEXT = """
a about actually after all also am an and any are as at be been being but by can could did do does
doing for from get got had has have how i if in into is it its just know like lol many me more
most much my no not now of on or our out over own really said say says she should so some still
than that thats the their them then there these they this those tho to too under up us very was
we were what whats when where which while who whos why will with would ya yet you your next
"""
STOP = set(STOP_WORDS_TEXT.split())


def read_body(path: Path) -> str:
    """Text of a Markdown source without its YAML front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        parts = text.split("---", 2)
        if len(parts) == 3:
            return parts[2]
    return text


def load_sources(reports_dir: Path) -> dict[str, str]:
    """Map source name to body text: the bundled article(s) and the ten reports."""
    sources = {p.stem: read_body(p) for p in sorted((REPO / "sources").glob("*.md"))}
    sources.update({p.stem: read_body(p) for p in sorted(reports_dir.glob("*.md"))})
    return sources


def load_questions(failures: list[str]) -> list[tuple[int, str, list[str] | None]]:
    """Parse the question file, recording malformed lines as failures."""
    rows: list[tuple[int, str, list[str] | None]] = []
    for number, line in enumerate(QUESTIONS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            failures.append(f"line {number}: not JSON ({exc})")
            continue
        if not isinstance(obj, dict) or set(obj) != {"question", "expect"}:
            failures.append(f"line {number}: keys must be exactly question, expect")
            continue
        question, expect = obj["question"], obj["expect"]
        if not isinstance(question, str) or not question.strip():
            failures.append(f"line {number}: empty question")
            continue
        valid_list = isinstance(expect, list) and expect and all(isinstance(s, str) for s in expect)
        if expect is not None and not valid_list:
            failures.append(f"line {number}: expect must be null or a non-empty list of strings")
            continue
        rows.append((number, question, expect))
    return rows


def public_questions() -> set[str]:
    """Lower-cased questions and turns of the public sets, when they can be found."""
    found: set[str] = set()
    for path in (
        DEFAULT_REPORTS.parent / "questions.jsonl",
        DEFAULT_REPORTS.parents[1] / "seed_dev.jsonl",
    ):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    found.add(json.loads(line)["question"].strip().lower())
    # Turns of the public conversation sets next to this file (never the blind/ folder).
    for path in sorted(HERE.glob("conversations_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.update(t["say"].strip().lower() for t in json.loads(line)["turns"])
    return found


def check_repeats(rows: list[tuple[int, str, list[str] | None]], failures: list[str]) -> None:
    """Fail on a question asked twice here or copied from a public set."""
    seen: set[str] = set()
    public = public_questions()
    for number, question, _ in rows:
        key = question.strip().lower()
        if key in seen:
            failures.append(f"line {number}: duplicate question {question!r}")
        if key in public:
            failures.append(f"line {number}: copied from a public set: {question!r}")
        seen.add(key)


def check_expects(
    rows: list[tuple[int, str, list[str] | None]],
    sources: dict[str, str],
    failures: list[str],
    verbose: bool,
) -> dict[str, int]:
    """Verify expect substrings verbatim; return question counts per spread and per source."""
    spread = {"article only": 0, "one report only": 0, "several files": 0}
    spread.update({f"answered by {name}": 0 for name in sources})
    for number, question, expect in rows:
        if expect is None:
            continue
        holders: set[str] = set()
        for substring in expect:
            if not 8 <= len(substring) <= 60:
                failures.append(f"line {number}: expect {substring!r} is {len(substring)} chars")
            where = [name for name, body in sources.items() if substring in body]
            if not where:
                failures.append(f"line {number}: expect {substring!r} found in no source")
            holders.update(where)
            if verbose:
                print(f"  [{number:2d}] {substring!r}: {', '.join(where) or 'NOWHERE'}")
        for name in holders:
            spread[f"answered by {name}"] += 1
        if holders == {ARTICLE_STEM}:
            spread["article only"] += 1
        elif len(holders) == 1:
            spread["one report only"] += 1
        elif holders:
            spread["several files"] += 1
        if verbose:
            print(f"       q: {question}")
    return spread


def content_words(question: str) -> list[str]:
    """The question's words minus stop words, in order, without repeats."""
    words = re.findall(r"[a-z0-9][a-z0-9\-]*", question.lower().replace("\u2019", "'"))
    return [w for w in dict.fromkeys(words) if w not in STOP and len(w) > 1]


def report_unanswerable(
    rows: list[tuple[int, str, list[str] | None]], sources: dict[str, str]
) -> None:
    """Print, per unanswerable question, which of its words occur in the sources."""
    corpus = "\n".join(sources.values()).lower().replace("\u2019", "'")
    print("== unanswerable questions: content words found in the sources")
    for number, question, expect in rows:
        if expect is not None:
            continue
        words = content_words(question)
        found = [w for w in words if re.search(r"\b" + re.escape(w), corpus)]
        absent = [w for w in words if w not in found]
        print(f"  [{number:2d}] {question}")
        print(f"       in sources: {', '.join(found) or '-'}   absent: {', '.join(absent) or '-'}")


def main() -> int:
    """Run every check and print a summary; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list sources per expect")
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="multi_dev sources")
    args = parser.parse_args()
    sources = load_sources(args.reports)
    failures: list[str] = []
    if ARTICLE_STEM not in sources:
        failures.append(f"bundled article sources/{ARTICLE_STEM}.md not found")
    if len(sources) != 11:
        failures.append(f"expected 11 sources (article + 10 reports), found {len(sources)}")
    rows = load_questions(failures)
    check_repeats(rows, failures)
    spread = check_expects(rows, sources, failures, args.verbose)
    report_unanswerable(rows, sources)
    answerable = sum(1 for _, _, expect in rows if expect is not None)
    unanswerable = len(rows) - answerable
    print(f"== {len(rows)} questions: {answerable} answerable, {unanswerable} unanswerable")
    for kind, count in spread.items():
        print(f"  {kind:42s} {count}")
    return verdict(failures)


def verdict(failures: list[str]) -> int:
    """Print each failure and OK or their count; return the exit status."""
    for message in failures:
        print("FAIL:", message)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
