"""Consistency checks for the blind4 questions and conversations (stdlib only).

Run from anywhere: python3 check.py [-v] [--multi-dev DIR]
Exits 1 when a check fails, 0 otherwise.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DEFAULT_MULTI_DEV = Path("/work/shared/eval/multi_dev/sources")

ANSWERABLE = 50
OFF_TOPIC = 12
MIN_SEVERAL = 20
CONVERSATIONS = 10
UNCOVERED_TURNS = 5
NEW_TURNS = 2
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}
# Function words and chat filler left out of the "which words does the corpus have" listing.
_STOPWORD_TEXT = (
    "a an the and or but of to in on at for with by from as is are was were be been do does did "
    "has have had it its this that these those there what whats what's who whos who's how when "
    "where which why any anyone can could would should will gonna wanna so about after before "
    "into up out than then them they their he his him she her we our you your i me my not no yes "
    "just really even much many more most some all lol w rn atm"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class Report:
    """Collects errors and prints them at the end."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        """Record one failed check."""
        self.errors.append(f"{where}: {message}")


def strip_front_matter(text: str) -> str:
    """Return the text without its YAML front matter, which is no passage."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def load_sources(multi_dev: Path) -> dict[str, str]:
    """Read the 13 reports of the corpus, keyed by file name."""
    paths = sorted((REPO / "sources").glob("*.md"))
    paths += sorted(multi_dev.glob("*.md"))
    paths += sorted((REPO / "benchmarks" / "data" / "blind3" / "sources").glob("*.md"))
    return {p.name: strip_front_matter(p.read_text(encoding="utf-8")) for p in paths}


def read_jsonl(path: Path, report: Report) -> list[dict]:
    """Parse a JSON-lines file, recording lines that are not JSON objects."""
    rows: list[dict] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            report.error(f"{path.name}:{number}", "blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            report.error(f"{path.name}:{number}", f"not JSON: {exc}")
            continue
        if not isinstance(row, dict):
            report.error(f"{path.name}:{number}", "not a JSON object")
            continue
        rows.append(row)
    return rows


def files_hit(expect: list[str], sources: dict[str, str], where: str, report: Report) -> set[str]:
    """Return the files holding each substring; record substrings found nowhere."""
    hit: set[str] = set()
    for needle in expect:
        found = {name for name, text in sources.items() if needle in text}
        if not found:
            report.error(where, f"expect string not in any source: {needle!r}")
        hit |= found
    return hit


def check_expect(value: object, where: str, report: Report) -> bool:
    """Check that expect is null or a list of 1-4 distinct non-empty strings."""
    if value is None:
        return True
    if not isinstance(value, list) or not 1 <= len(value) <= 4:
        report.error(where, "expect must be null or a list of 1-4 strings")
        return False
    if not all(isinstance(s, str) and s.strip() for s in value) or len(set(value)) != len(value):
        report.error(where, "expect strings must be non-empty and distinct")
        return False
    return True


@functools.cache
def vocabulary_of(texts: tuple[str, ...]) -> frozenset[str]:
    """Return the lowercased words of the corpus (computed once)."""
    return frozenset(re.findall(r"[\w'’-]+", " ".join(texts).lower()))


def corpus_words(text: str, sources: dict[str, str]) -> str:
    """List a question's content words as 'those the corpus has | those it lacks'."""
    vocabulary = vocabulary_of(tuple(sources.values()))
    words = [w.strip("'’-") for w in re.findall(r"[\w'’-]+", text.lower())]
    content = [w for w in dict.fromkeys(words) if len(w) > 2 and w not in STOPWORDS]
    has = ", ".join(w for w in content if w in vocabulary) or "-"
    lacks = ", ".join(w for w in content if w not in vocabulary) or "-"
    return f"{has} | {lacks}"


def check_questions(sources: dict[str, str], report: Report, verbose: bool) -> list[str]:
    """Check questions.jsonl; return the summary lines and print null-question vocabularies."""
    rows = read_jsonl(HERE / "questions.jsonl", report)
    answerable = several = 0
    covered: set[str] = set()
    seen: set[str] = set()
    print("questions.jsonl: off-topic questions, words the corpus has | lacks")
    for number, row in enumerate(rows, 1):
        where = f"questions.jsonl:{number}"
        if set(row) != {"question", "expect"}:
            report.error(where, f"keys must be question and expect, got {sorted(row)}")
            continue
        question = row["question"]
        if not isinstance(question, str) or not question.strip():
            report.error(where, "question must be a non-empty string")
            continue
        if question.lower() in seen:
            report.error(where, "duplicate question")
        seen.add(question.lower())
        if not check_expect(row["expect"], where, report):
            continue
        if row["expect"] is None:
            print(f"  {question!r}: {corpus_words(question, sources)}")
            continue
        answerable += 1
        hit = files_hit(row["expect"], sources, where, report)
        covered |= hit
        several += len(hit) >= 2
        if verbose:
            print(f"  {number:2} {len(hit)} files {sorted(hit)}")
    off_topic = len(rows) - answerable
    if answerable != ANSWERABLE or off_topic != OFF_TOPIC:
        report.error(
            "questions.jsonl", f"want {ANSWERABLE}+{OFF_TOPIC}, got {answerable}+{off_topic}"
        )
    if several < MIN_SEVERAL:
        report.error(
            "questions.jsonl", f"want >= {MIN_SEVERAL} several-report questions, got {several}"
        )
    for name in sorted(set(sources) - covered):
        report.error("questions.jsonl", f"no answerable question draws on {name}")
    return [
        f"questions: {answerable} answerable ({several} from several reports),"
        f" {off_topic} off-topic, {len(covered)}/{len(sources)} reports drawn on"
    ]


def check_turn(turn: dict, first: bool, where: str, report: Report) -> str | None:
    """Check one conversation turn's shape; return its kind (None for a first turn)."""
    keys = {"say", "expect"} if first else {"say", "kind", "meant", "alone", "expect"}
    if set(turn) != keys:
        report.error(where, f"keys must be {sorted(keys)}, got {sorted(turn)}")
        return None
    for key in keys - {"expect"}:
        if not isinstance(turn[key], str) or not turn[key].strip():
            report.error(where, f"{key} must be a non-empty string")
    check_expect(turn["expect"], where, report)
    if first:
        if turn["expect"] is None:
            report.error(where, "a first turn must be answerable")
        return None
    kind = turn["kind"]
    if kind not in KINDS:
        report.error(where, f"unknown kind {kind!r}")
    if (kind == "uncovered") != (turn["expect"] is None):
        report.error(where, "expect is null exactly when kind is 'uncovered'")
    if kind == "new" and not str(turn["say"]).lower().startswith("ok different question:"):
        report.error(where, "a new-subject turn starts with 'ok different question:'")
    return kind


def check_conversations(sources: dict[str, str], report: Report) -> list[str]:
    """Check conversations.jsonl; return the summary lines and print null-turn vocabularies."""
    rows = read_jsonl(HERE / "conversations.jsonl", report)
    kinds: list[str] = []
    ids: set[str] = set()
    print("conversations.jsonl: uncovered turns ('meant'), words the corpus has | lacks")
    for row in rows:
        cid = str(row.get("id"))
        if set(row) != {"id", "corpus", "turns"} or cid in ids or row.get("corpus") != "multi_dev":
            report.error(cid, "keys must be id, corpus ('multi_dev'), turns; ids unique")
        ids.add(cid)
        turns = row.get("turns")
        if not isinstance(turns, list) or not 3 <= len(turns) <= 5:
            report.error(cid, "turns must be a list of 3-5 turns")
            continue
        for index, turn in enumerate(turns):
            where = f"{cid} turn {index + 1}"
            if not isinstance(turn, dict):
                report.error(where, "a turn must be a JSON object")
                continue
            kind = check_turn(turn, index == 0, where, report)
            if kind:
                kinds.append(kind)
            if isinstance(turn.get("expect"), list):
                files_hit(turn["expect"], sources, where, report)
            elif turn.get("expect") is None and isinstance(turn.get("meant"), str):
                print(f"  {cid} {turn['meant']!r}: {corpus_words(turn['meant'], sources)}")
    wanted = {
        "conversations": (len(rows), CONVERSATIONS),
        "uncovered turns": (kinds.count("uncovered"), UNCOVERED_TURNS),
        "new-subject turns": (kinds.count("new"), NEW_TURNS),
    }
    for label, (got, want) in wanted.items():
        if got != want:
            report.error("conversations.jsonl", f"want {want} {label}, got {got}")
    return [
        f"conversations: {len(rows)}, {len(kinds)} follow-ups"
        f" ({kinds.count('uncovered')} uncovered, {kinds.count('new')} new subject)"
    ]


def main() -> int:
    """Run every check and print a summary; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list the files each question draws on"
    )
    parser.add_argument(
        "--multi-dev", type=Path, default=DEFAULT_MULTI_DEV, help="the ten multi_dev reports"
    )
    args = parser.parse_args()
    report = Report()
    sources = load_sources(args.multi_dev)
    if len(sources) != 13:
        report.error("corpus", f"want 13 source files, found {len(sources)}: {sorted(sources)}")
    summary = check_questions(sources, report, args.verbose) + check_conversations(sources, report)
    for line in summary:
        print(line)
    for line in report.errors:
        print(f"ERROR {line}")
    print(f"{len(report.errors)} error(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
