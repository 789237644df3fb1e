"""Check the blind8 question set and conversations against the bundled article (stdlib only).

Run from anywhere: python benchmarks/data/blind8/check.py
Exits 1 when a file is malformed or an expected substring is not in the article verbatim.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLE = HERE.parents[2] / "sources" / "peace-talks-sticking-points.md"
QUESTIONS = HERE / "questions.jsonl"
CONVERSATIONS = HERE / "conversations.jsonl"

ANSWERABLE_QUESTIONS = 36
OFF_TOPIC_QUESTIONS = 8
CONVERSATION_IDS = [f"h{n:02d}" for n in range(1, 9)]
MIN_TURNS, MAX_TURNS = 3, 5
UNCOVERED_TURNS = 3
MAX_EXPECT = 3
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}
# Words too common to say anything about whether the article covers a question.
STOPWORDS_TEXT = """
a an the and or but if of to in on at by for with from as is are was were be been being do does did
what whats who whom which when where why how any some this that these those it its they them
he his she her we our you your u r i me my so just there their than then can could would will
about into up out over under again more most much many all not no yes rn lol gonna since
have has had get got
"""
STOPWORDS = set(STOPWORDS_TEXT.split())


def article_body(path: Path) -> str:
    """Return the article text without its front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            text = text[end + 4 :]
    return text


def read_jsonl(path: Path, errors: list[str]) -> list[dict]:
    """Parse one JSON object per non-empty line, noting lines that do not parse."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"{path.name}:{number}: not JSON ({error})")
            continue
        if not isinstance(row, dict):
            errors.append(f"{path.name}:{number}: not a JSON object")
            continue
        rows.append(row)
    return rows


def check_expect(where: str, expect: object, body: str, errors: list[str]) -> None:
    """Check an expect value: null, or 1..MAX_EXPECT strings each found verbatim in the article."""
    if expect is None:
        return
    if not isinstance(expect, list) or not 1 <= len(expect) <= MAX_EXPECT:
        errors.append(f"{where}: expect must be null or a list of 1-{MAX_EXPECT} strings")
        return
    for item in expect:
        if not isinstance(item, str) or not item.strip():
            errors.append(f"{where}: expect item {item!r} is not a non-empty string")
        elif item not in body:
            errors.append(f"{where}: expect {item!r} is not in the article verbatim")


def words_found(text: str, vocabulary: set[str]) -> tuple[list[str], list[str]]:
    """Split a question's content words into those the article has and those it lacks."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1]
    return [w for w in words if w in vocabulary], [w for w in words if w not in vocabulary]


def check_questions(body: str, vocabulary: set[str], errors: list[str]) -> tuple[int, int]:
    """Check questions.jsonl and print the article's words in each off-topic question."""
    rows = read_jsonl(QUESTIONS, errors)
    seen: set[str] = set()
    answerable = off_topic = 0
    for number, row in enumerate(rows, 1):
        where = f"{QUESTIONS.name}:{number}"
        if set(row) != {"question", "expect"}:
            errors.append(f"{where}: keys must be exactly question, expect (got {sorted(row)})")
        question = row.get("question")
        if not isinstance(question, str) or not question.strip():
            errors.append(f"{where}: question must be a non-empty string")
            continue
        if question.lower() in seen:
            errors.append(f"{where}: duplicate question {question!r}")
        seen.add(question.lower())
        check_expect(where, row.get("expect"), body, errors)
        if row.get("expect") is None:
            off_topic += 1
            has, lacks = words_found(question, vocabulary)
            print(f"  off-topic {question!r}: article has {has}, lacks {lacks}")
        else:
            answerable += 1
    if answerable != ANSWERABLE_QUESTIONS or off_topic != OFF_TOPIC_QUESTIONS:
        errors.append(
            f"{QUESTIONS.name}: want {ANSWERABLE_QUESTIONS} answerable + {OFF_TOPIC_QUESTIONS} "
            f"off-topic, got {answerable} + {off_topic}"
        )
    return answerable, off_topic


def check_turn(where: str, turn: object, first: bool, body: str, errors: list[str]) -> str | None:
    """Check one conversation turn's shape and expect; return its kind."""
    if not isinstance(turn, dict):
        errors.append(f"{where}: turn is not an object")
        return None
    if not isinstance(turn.get("say"), str) or not turn["say"].strip():
        errors.append(f"{where}: say must be a non-empty string")
    if "expect" not in turn:
        errors.append(f"{where}: expect is missing")
    check_expect(where, turn.get("expect"), body, errors)
    if first:
        if set(turn) != {"say", "expect"} or turn.get("expect") is None:
            errors.append(f"{where}: a first turn has only say and a non-null expect")
        return None
    if set(turn) != {"say", "kind", "meant", "alone", "expect"}:
        errors.append(
            f"{where}: a follow-up has say, kind, meant, alone, expect, got {sorted(turn)}"
        )
    for field in ("meant", "alone"):
        if not isinstance(turn.get(field), str) or not turn[field].strip():
            errors.append(f"{where}: {field} must be a non-empty string")
    kind = turn.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
    if (kind == "uncovered") != (turn.get("expect") is None):
        errors.append(f"{where}: kind 'uncovered' goes with expect null and only with it")
    return kind


def check_conversations(body: str, vocabulary: set[str], errors: list[str]) -> tuple[int, int, int]:
    """Check conversations.jsonl and print the article's words in each uncovered turn."""
    rows = read_jsonl(CONVERSATIONS, errors)
    kinds: list[str | None] = []
    turns_total = 0
    for number, row in enumerate(rows, 1):
        where = f"{CONVERSATIONS.name}:{number}"
        if set(row) != {"id", "corpus", "turns"}:
            errors.append(f"{where}: keys must be exactly id, corpus, turns (got {sorted(row)})")
        if row.get("corpus") != "seed":
            errors.append(f"{where}: corpus must be 'seed'")
        turns = row.get("turns")
        if not isinstance(turns, list) or not MIN_TURNS <= len(turns) <= MAX_TURNS:
            errors.append(f"{where}: turns must be a list of {MIN_TURNS}-{MAX_TURNS} turns")
            continue
        turns_total += len(turns)
        for index, turn in enumerate(turns):
            label = f"{where} {row.get('id')} turn {index + 1}"
            kind = check_turn(label, turn, index == 0, body, errors)
            kinds.append(kind)
            if kind == "uncovered":
                print(f"  uncovered {row.get('id')} turn {index + 1}:")
                for label in ("say", "meant"):
                    has, lacks = words_found(turn[label], vocabulary)
                    print(f"    {label} {turn[label]!r}: article has {has}, lacks {lacks}")
    ids = [row.get("id") for row in rows]
    if ids != CONVERSATION_IDS:
        errors.append(f"{CONVERSATIONS.name}: ids must be {CONVERSATION_IDS} in order, got {ids}")
    uncovered, new_subject = kinds.count("uncovered"), kinds.count("new")
    if uncovered != UNCOVERED_TURNS:
        errors.append(f"{CONVERSATIONS.name}: want {UNCOVERED_TURNS} uncovered, got {uncovered}")
    if new_subject < 1:
        errors.append(f"{CONVERSATIONS.name}: want at least one 'new' (new subject) turn")
    return len(rows), turns_total, uncovered


def main() -> int:
    """Run every check, print counts and errors, and return the exit status."""
    errors: list[str] = []
    body = article_body(ARTICLE)
    vocabulary = set(re.findall(r"[a-z0-9]+", body.lower()))
    print(f"article: {ARTICLE}")
    answerable, off_topic = check_questions(body, vocabulary, errors)
    conversations, turns, uncovered = check_conversations(body, vocabulary, errors)
    print(f"questions: {answerable} answerable + {off_topic} off-topic")
    print(f"conversations: {conversations}, {turns} turns, {uncovered} uncovered")
    for error in errors:
        print(f"ERROR {error}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
