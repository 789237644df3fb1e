"""Check the blind6 question and conversation files against the bundled article (stdlib only).

Run: python3 benchmarks/data/blind6/check.py   (exit status 1 on any error)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLE = HERE.parents[2] / "sources" / "peace-talks-sticking-points.md"
DEV_SEED = Path("/work/shared/eval/seed_dev.jsonl")  # optional: only to refuse verbatim reuse

WANT_ANSWERABLE = 36
WANT_NULL = 8
WANT_CONVERSATIONS = 8
WANT_UNCOVERED_TURNS = 3
WANT_NEW_SUBJECT_TURNS = 1
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}
FIRST_TURN_KEYS = {"say", "expect"}
FOLLOW_TURN_KEYS = {"say", "kind", "meant", "alone", "expect"}

# Words too common to say anything about coverage; left out of the null-question report.
STOPWORD_TEXT = """
a an the and or but if so of to in on at by for with from into about as is are was were be been
being do does did doing done have has had having will would could should can may might must shall
i me my we our you your he him his she her it its they them their this that these those there here
what which who whom whose when where why how whats who's what's when's how's any some all no not
just really actually even anyway then than too very much many more most ok btw up out get got gonna
going go yet still again also only ever
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())


def article_body(path: Path) -> str:
    """Return the article text without its front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            return text[end + 4 :]
    return text


def words(text: str) -> list[str]:
    """Lowercase word tokens, keeping inner apostrophes and hyphens."""
    return re.findall(r"[a-z0-9]+(?:['’-][a-z0-9]+)*", text.lower())


def read_jsonl(path: Path, errors: list[str]) -> list[dict]:
    """Parse a JSON-lines file; record a line-numbered error for each bad line."""
    rows: list[dict] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{number}: blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{number}: bad JSON: {exc}")
            continue
        if not isinstance(row, dict):
            errors.append(f"{path.name}:{number}: not a JSON object")
            continue
        rows.append(row)
    return rows


def check_expect(where: str, expect: object, body: str, errors: list[str]) -> None:
    """An expect is null or 1-3 short strings, each verbatim in one paragraph of the article."""
    if expect is None:
        return
    if not isinstance(expect, list) or not 1 <= len(expect) <= 3:
        errors.append(f"{where}: expect must be null or a list of 1-3 strings, got {expect!r}")
        return
    for item in expect:
        if not isinstance(item, str) or not item.strip():
            errors.append(f"{where}: empty or non-string expect item {item!r}")
        elif "\n" in item:
            errors.append(f"{where}: expect item spans lines: {item!r}")
        elif item not in body:
            errors.append(f"{where}: expect not verbatim in article: {item!r}")
        elif len(item) > 90:
            errors.append(f"{where}: expect item too long ({len(item)} chars): {item!r}")


def report_null(where: str, text: str, vocabulary: set[str]) -> None:
    """Print which content words of an uncovered question the article has."""
    content = [w for w in words(text) if w not in STOPWORDS]
    found = sorted({w for w in content if w in vocabulary})
    missing = sorted({w for w in content if w not in vocabulary})
    print(f"  {where}: {text!r}")
    print(
        f"      in article: {', '.join(found) or '-'}   not in article: {', '.join(missing) or '-'}"
    )


def check_questions(path: Path, body: str, vocabulary: set[str], errors: list[str]) -> None:
    """Shape, counts and verbatim expects of questions.jsonl; report the null ones' words."""
    rows = read_jsonl(path, errors)
    dev = set()
    if DEV_SEED.exists():
        dev = {
            json.loads(x)["question"].strip().lower()
            for x in DEV_SEED.read_text().splitlines()
            if x
        }
    seen: set[str] = set()
    answerable = nulls = 0
    print("Null questions (words the article has / lacks):")
    for number, row in enumerate(rows, 1):
        where = f"{path.name}:{number}"
        if set(row) != {"question", "expect"}:
            errors.append(f"{where}: keys must be exactly question, expect; got {sorted(row)}")
            continue
        question = row["question"]
        if not isinstance(question, str) or not question.strip():
            errors.append(f"{where}: empty question")
            continue
        key = question.strip().lower()
        if key in seen:
            errors.append(f"{where}: duplicate question {question!r}")
        if key in dev:
            errors.append(f"{where}: question copied from seed_dev.jsonl: {question!r}")
        seen.add(key)
        check_expect(where, row["expect"], body, errors)
        if row["expect"] is None:
            nulls += 1
            report_null(where, question, vocabulary)
        else:
            answerable += 1
    print(f"questions: {answerable} answerable, {nulls} null")
    if (answerable, nulls) != (WANT_ANSWERABLE, WANT_NULL):
        errors.append(f"{path.name}: want {WANT_ANSWERABLE} answerable + {WANT_NULL} null")


def check_turn(where: str, turn: dict, first: bool, body: str, errors: list[str]) -> None:
    """One conversation turn: keys, kind, meant, expect."""
    keys = FIRST_TURN_KEYS if first else FOLLOW_TURN_KEYS
    if set(turn) != keys:
        errors.append(f"{where}: keys must be exactly {sorted(keys)}; got {sorted(turn)}")
        return
    for field in keys - {"expect"}:
        if not isinstance(turn[field], str) or not turn[field].strip():
            errors.append(f"{where}: empty {field}")
    check_expect(where, turn["expect"], body, errors)
    if first:
        if turn["expect"] is None:
            errors.append(f"{where}: the first turn must be answerable")
        return
    if turn["kind"] not in KINDS:
        errors.append(f"{where}: unknown kind {turn['kind']!r}")
    if (turn["kind"] == "uncovered") != (turn["expect"] is None):
        errors.append(f"{where}: kind 'uncovered' if and only if expect is null")


def check_conversations(path: Path, body: str, vocabulary: set[str], errors: list[str]) -> None:
    """Shape and counts of conversations.jsonl; report the uncovered turns' words."""
    rows = read_jsonl(path, errors)
    kinds: list[str] = []
    ids: list[str] = []
    print("Uncovered turns (words the article has / lacks, for say and meant):")
    for number, row in enumerate(rows, 1):
        where = f"{path.name}:{number}"
        if set(row) != {"id", "corpus", "turns"}:
            errors.append(f"{where}: keys must be exactly id, corpus, turns; got {sorted(row)}")
            continue
        ids.append(row["id"])
        if row["corpus"] != "seed":
            errors.append(f"{where}: corpus must be 'seed'")
        turns = row["turns"]
        if not isinstance(turns, list) or not 3 <= len(turns) <= 5:
            errors.append(f"{where}: want 3-5 turns")
            continue
        for index, turn in enumerate(turns):
            turn_where = f"{where} {row['id']} turn {index + 1}"
            if not isinstance(turn, dict):
                errors.append(f"{turn_where}: not an object")
                continue
            check_turn(turn_where, turn, index == 0, body, errors)
            if index and "kind" in turn:
                kinds.append(turn["kind"])
                if turn.get("expect", 0) is None:
                    report_null(turn_where + " say", turn["say"], vocabulary)
                    report_null(turn_where + " meant", turn["meant"], vocabulary)
    want_ids = [f"a{n:02d}" for n in range(1, WANT_CONVERSATIONS + 1)]
    if ids != want_ids:
        errors.append(f"{path.name}: ids must be {want_ids}, got {ids}")
    uncovered, new = kinds.count("uncovered"), kinds.count("new")
    print(
        f"conversations: {len(rows)}, follow-up turns: {len(kinds)}, "
        f"uncovered: {uncovered}, new subject: {new}"
    )
    if (uncovered, new) != (WANT_UNCOVERED_TURNS, WANT_NEW_SUBJECT_TURNS):
        errors.append(
            f"{path.name}: want {WANT_UNCOVERED_TURNS} uncovered "
            f"and {WANT_NEW_SUBJECT_TURNS} new-subject turns"
        )


def main() -> int:
    """Run every check, print the report, return the exit status."""
    errors: list[str] = []
    body = article_body(ARTICLE)
    vocabulary = set(words(body))
    check_questions(HERE / "questions.jsonl", body, vocabulary, errors)
    check_conversations(HERE / "conversations.jsonl", body, vocabulary, errors)
    for error in errors:
        print(f"ERROR {error}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
