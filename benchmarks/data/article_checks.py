"""What the held-out sets on the bundled article check (stdlib only): questions.jsonl and
conversations.jsonl beside each set's check.py, against the article's text.

Used by blind8/check.py and blind11/check.py (each run as `python3 <folder>/check.py`): each
describes its set as an ArticleSet and calls run(). blind11 sets `strict` for its extra checks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ARTICLE = Path(__file__).resolve().parents[2] / "sources" / "peace-talks-sticking-points.md"
MIN_TURNS, MAX_TURNS = 3, 5
UNCOVERED_TURNS = 3
MAX_EXPECT = 3
# strict: the number of 'new' turns (else at least one), and the range of words an expected
# substring should have (outside it is noted, not an error).
NEW_SUBJECT_TURNS = 1
EXPECT_WORDS = (4, 10)
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


@dataclass(frozen=True, kw_only=True)
class ArticleSet:
    """One set's folder and the counts its files must have.

    strict turns on blind11's extra checks: notes on expected substrings that repeat in the
    article or have a length outside EXPECT_WORDS, no question or turn repeating one of dev_files
    verbatim, uncovered turns in different conversations, exactly NEW_SUBJECT_TURNS 'new' turns,
    at least min_follow_ups follow-ups, and a count of the follow-ups by kind.
    """

    folder: Path
    answerable: int
    off_topic: int
    conversation_ids: list[str]
    strict: bool = False
    dev_files: tuple[Path, ...] = ()
    min_follow_ups: int = 0


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


def check_expect(
    where: str, expect: object, body: str, errors: list[str], notes: list[str]
) -> None:
    """Check an expect value: null, or 1..MAX_EXPECT strings each found verbatim in the article.

    Also notes (without failing) a substring found more than once in the article or whose length
    is outside EXPECT_WORDS words, since either makes a hit less specific.
    """
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
        else:
            if body.count(item) > 1:
                notes.append(f"{where}: expect {item!r} occurs {body.count(item)} times "
                             "in the article")
            words = len(item.split())
            if not EXPECT_WORDS[0] <= words <= EXPECT_WORDS[1]:
                notes.append(f"{where}: expect {item!r} has {words} words")


def dev_texts(paths: tuple[Path, ...]) -> set[str]:
    """Lower-cased questions and turns of the development files, to catch verbatim reuse."""
    texts: set[str] = set()
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if "question" in row:
                texts.add(row["question"].strip().lower())
            for turn in row.get("turns", []):
                texts.add(turn.get("say", "").strip().lower())
    return texts


def words_found(text: str, vocabulary: set[str]) -> tuple[list[str], list[str]]:
    """Split a question's content words into those the article has and those it lacks."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1]
    return [w for w in words if w in vocabulary], [w for w in words if w not in vocabulary]


def check_questions(
    spec: ArticleSet, body: str, vocabulary: set[str], dev: set[str], errors: list[str],
    notes: list[str],
) -> tuple[int, int]:
    """Check questions.jsonl and print the article's words in each off-topic question."""
    path = spec.folder / "questions.jsonl"
    rows = read_jsonl(path, errors)
    seen: set[str] = set()
    answerable = off_topic = 0
    for number, row in enumerate(rows, 1):
        where = f"{path.name}:{number}"
        if set(row) != {"question", "expect"}:
            errors.append(f"{where}: keys must be exactly question, expect (got {sorted(row)})")
        question = row.get("question")
        if not isinstance(question, str) or not question.strip():
            errors.append(f"{where}: question must be a non-empty string")
            continue
        if question.lower() in seen:
            errors.append(f"{where}: duplicate question {question!r}")
        seen.add(question.lower())
        if question.strip().lower() in dev:
            errors.append(f"{where}: question {question!r} repeats a development question verbatim")
        check_expect(where, row.get("expect"), body, errors, notes)
        if row.get("expect") is None:
            off_topic += 1
            has, lacks = words_found(question, vocabulary)
            print(f"  off-topic {question!r}: article has {has}, lacks {lacks}")
        else:
            answerable += 1
    if answerable != spec.answerable or off_topic != spec.off_topic:
        errors.append(
            f"{path.name}: want {spec.answerable} answerable + {spec.off_topic} "
            f"off-topic, got {answerable} + {off_topic}"
        )
    return answerable, off_topic


def check_turn(
    where: str, turn: object, first: bool, body: str, errors: list[str], notes: list[str]
) -> str | None:
    """Check one conversation turn's shape and expect; return its kind."""
    if not isinstance(turn, dict):
        errors.append(f"{where}: turn is not an object")
        return None
    if not isinstance(turn.get("say"), str) or not turn["say"].strip():
        errors.append(f"{where}: say must be a non-empty string")
    if "expect" not in turn:
        errors.append(f"{where}: expect is missing")
    check_expect(where, turn.get("expect"), body, errors, notes)
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


def check_conversations(
    spec: ArticleSet, body: str, vocabulary: set[str], dev: set[str], errors: list[str],
    notes: list[str],
) -> tuple[int, int, int]:
    """Check conversations.jsonl and print the article's words in each uncovered turn."""
    path = spec.folder / "conversations.jsonl"
    rows = read_jsonl(path, errors)
    kinds: list[str | None] = []
    uncovered_in: list[object] = []
    turns_total = 0
    for number, row in enumerate(rows, 1):
        where = f"{path.name}:{number}"
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
            kind = check_turn(label, turn, index == 0, body, errors, notes)
            kinds.append(kind)
            if isinstance(turn, dict) and str(turn.get("say", "")).strip().lower() in dev:
                errors.append(f"{label}: say {turn['say']!r} repeats a development turn verbatim")
            if kind == "uncovered":
                uncovered_in.append(row.get("id"))
                print(f"  uncovered {row.get('id')} turn {index + 1}:")
                for label in ("say", "meant"):
                    has, lacks = words_found(turn[label], vocabulary)
                    print(f"    {label} {turn[label]!r}: article has {has}, lacks {lacks}")
    ids = [row.get("id") for row in rows]
    if ids != spec.conversation_ids:
        errors.append(f"{path.name}: ids must be {spec.conversation_ids} in order, got {ids}")
    uncovered, new_subject = kinds.count("uncovered"), kinds.count("new")
    if uncovered != UNCOVERED_TURNS:
        errors.append(f"{path.name}: want {UNCOVERED_TURNS} uncovered, got {uncovered}")
    if not spec.strict:
        if new_subject < 1:
            errors.append(f"{path.name}: want at least one 'new' (new subject) turn")
        return len(rows), turns_total, uncovered
    if len(set(uncovered_in)) != len(uncovered_in):
        errors.append(f"{path.name}: uncovered turns must be in different conversations")
    if new_subject != NEW_SUBJECT_TURNS:
        errors.append(f"{path.name}: want {NEW_SUBJECT_TURNS} 'new' turn, got {new_subject}")
    follow_ups = turns_total - len(rows)
    if follow_ups < spec.min_follow_ups:
        errors.append(f"{path.name}: want at least {spec.min_follow_ups} follow-ups, "
                      f"got {follow_ups}")
    counts = {k: kinds.count(k) for k in sorted(KINDS) if kinds.count(k)}
    print(f"  follow-up kinds: {counts}")
    return len(rows), turns_total, uncovered


def run(spec: ArticleSet) -> int:
    """Run every check, print counts and errors, and return the exit status."""
    errors: list[str] = []
    notes: list[str] = []
    body = article_body(ARTICLE)
    vocabulary = set(re.findall(r"[a-z0-9]+", body.lower()))
    print(f"article: {ARTICLE}")
    dev = dev_texts(spec.dev_files)
    answerable, off_topic = check_questions(spec, body, vocabulary, dev, errors, notes)
    conversations, turns, uncovered = check_conversations(
        spec, body, vocabulary, dev, errors, notes)
    print(f"questions: {answerable} answerable + {off_topic} off-topic")
    print(f"conversations: {conversations}, {turns} turns, {uncovered} uncovered")
    if spec.strict:
        for note in notes:
            print(f"note {note}")
    for error in errors:
        print(f"ERROR {error}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0
