"""What the 13-report held-out sets' checkers share (stdlib only): the sources, JSON lines, the
expected texts' check, the questions' and conversations' checks, which words of an uncovered item
the corpus holds, and the run that prints it all (check_set).

Used by blind7/check.py, blind9/check.py and blind10/check.py, and for check_expect by
blind5/check.py (each run as `python3 <folder>/check.py`).
"""
import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The shared folder beside the checkout (as benchmarks/quality.py finds it).
DEFAULT_MULTI_DEV = REPO.parent / "shared" / "eval" / "multi_dev" / "sources"
# The bundled article's file name among the 13 reports (blind12 onwards).
ARTICLE = "peace-talks-sticking-points.md"
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}
# Words too common to say anything about whether the corpus covers a question.
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


MIN_WORDS, MAX_WORDS = 4, 10  # an expect string's length (blind12, blind13)


def check_subs(where: str, expect: object, texts: dict[str, str], errors: list[str]) -> set[str]:
    """Check an expect list against texts: present, 4-10 words, once per file; return files hit."""
    files = check_expect(where, expect, texts, errors)
    for sub in expect if isinstance(expect, list) else []:
        if not isinstance(sub, str):
            continue
        words = len(sub.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            errors.append(f"{where}: {sub!r} has {words} words, not {MIN_WORDS}-{MAX_WORDS}")
        for fname, text in texts.items():
            if text.count(sub) > 1:
                errors.append(f"{where}: {sub!r} occurs {text.count(sub)} times in {fname}")
    return files


def check_rows(
    name: str, rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool,
    shape: tuple[int, int, int, int],
) -> tuple[int, dict[str, int], int, list[str]]:
    """Check one question file of `shape` (rows, answerable, off-topic, most expect strings a
    question); return answerable, per-report and several-report counts, nulls."""
    total, answerable, offtopic, most = shape
    per_file = {fname: 0 for fname in texts}
    found = several = 0
    nulls: list[str] = []
    seen: set[str] = set()
    if len(rows) != total:
        errors.append(f"{name}: expected {total} rows, found {len(rows)}")
    for number, row in enumerate(rows, 1):
        where = f"{name}:{number}"
        if not isinstance(row, dict) or set(row) != {"question", "expect"} \
                or not isinstance(row.get("question"), str) or not row["question"].strip():
            errors.append(f"{where}: keys must be exactly question (a non-empty string), expect")
            continue
        key = row["question"].strip().lower()
        if key in seen:
            errors.append(f"{where}: duplicate question {row['question']!r}")
        seen.add(key)
        expect = row["expect"]
        if expect is None:
            nulls.append(row["question"])
            continue
        if isinstance(expect, list) and len(expect) > most:
            errors.append(f"{where}: at most {most} expect strings")
        files = check_subs(where, expect, texts, errors)
        found += 1
        several += len(files) >= 2
        for fname in files:
            per_file[fname] += 1
        if verbose:
            print(f"  {where}: {len(files)} file(s) {sorted(files)}")
    if found != answerable or len(nulls) != offtopic:
        errors.append(f"{name}: expected {answerable} answerable and {offtopic} off-topic, "
                      f"found {found} and {len(nulls)}")
    return found, per_file, several, nulls


def follow_up_shape(where: str, turn: object, kinds: dict[str, int], errors: list[str]) -> bool:
    """Check a follow-up's keys, texts and kind (counted in `kinds`); False if unusable."""
    keys = {"say", "kind", "meant", "alone", "expect"}
    if not isinstance(turn, dict) or set(turn) != keys:
        errors.append(f"{where}: keys must be say, kind, meant, alone, expect")
        return False
    for key in ("say", "meant", "alone"):
        if not isinstance(turn[key], str) or not turn[key].strip():
            errors.append(f"{where}: {key} must be a non-empty string")
    if turn["kind"] not in KINDS:
        errors.append(f"{where}: unknown kind {turn['kind']!r}")
    else:
        kinds[turn["kind"]] += 1
    if (turn["kind"] == "uncovered") != (turn["expect"] is None):
        errors.append(f"{where}: kind 'uncovered' exactly when expect is null")
    return True


def arguments(description: str, verbose_help: str) -> argparse.Namespace:
    """A checker's command line: --multi-dev (the ten multi_dev reports' folder) and -v."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--multi-dev", type=Path, default=DEFAULT_MULTI_DEV,
                        help="folder holding the ten multi_dev reports")
    parser.add_argument("-v", "--verbose", action="store_true", help=verbose_help)
    return parser.parse_args()


def thirteen_reports(multi_dev: Path, article: str, errors: list[str]) -> dict[str, str] | None:
    """The 13 reports' texts by file name, or None (errors printed) without the bundled article."""
    files = source_files(multi_dev)
    if len(files) != 13:
        errors.append(f"expected 13 source files, found {len(files)}: {[f.name for f in files]}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    if article not in texts:
        errors.append(f"bundled article {article} not found")
        for error in errors:
            print("ERROR", error)
        return None
    return texts


def corpus_words(text: str, corpus_lower: str) -> tuple[list[str], list[str]]:
    """Split a null item's content words into those the corpus has and those it lacks."""
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower()) if w not in STOP]
    # A word counts with a plain plural or possessive ending ("euro" in "euros"), not as a prefix
    # of a longer word ("bill" in "billion"), so the list shows what BM25 would really match.
    ending = r"(?:s|es|'s|’s)?(?![a-z0-9])"
    has = [w for w in words if re.search(r"(?<![a-z0-9])" + re.escape(w) + ending, corpus_lower)]
    return has, [w for w in words if w not in has]


def print_null(label: str, text: str, corpus_lower: str) -> None:
    """Print a null item and which of its content words the corpus has and lacks."""
    has, lacks = corpus_words(text, corpus_lower)
    print(f"{label}: {text!r}\n    corpus has: {', '.join(has) or '-'}; "
          f"lacks: {', '.join(lacks) or '-'}")


def check_questions(
    rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool, strict: bool
) -> tuple[int, int, int, list[str], dict[str, int]]:
    """Check questions.jsonl; return answerable, several-report, off-topic, nulls, per report."""
    answerable = several = 0
    nulls = []
    per_file = {name: 0 for name in texts}
    for number, row in enumerate(rows, 1):
        where = f"questions.jsonl:{number}"
        # strict (blind10 on): a row must be an object whose question is a non-empty string.
        if strict and (not isinstance(row, dict) or set(row) != {"question", "expect"}
                       or not isinstance(row.get("question"), str) or not row["question"].strip()):
            errors.append(f"{where}: keys must be exactly question (a non-empty string), expect")
            continue
        if not strict and (set(row) != {"question", "expect"}
                           or not isinstance(row.get("question"), str)):
            errors.append(f"{where}: keys must be exactly question, expect")
            continue
        files = check_expect(where, row["expect"], texts, errors)
        if row["expect"] is None:
            nulls.append(row["question"])
            continue
        answerable += 1
        several += len(files) >= 2
        for name in files:
            per_file[name] += 1
        if verbose:
            print(f"  {where}: {len(files)} file(s) {sorted(files)}")
    return answerable, several, len(nulls), nulls, per_file


def check_conversations(
    rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool, strict: bool
) -> tuple[list[str], list[str]]:
    """Check conversations.jsonl; return the summary lines and the uncovered turns' meant texts."""
    counts = {"conversations": 0, "follow-ups": 0, "uncovered": 0, "new": 0,
              "several-report turns": 0}
    kinds = {kind: 0 for kind in sorted(KINDS)}
    nulls, ids = [], set()
    uncovered_in: list[str] = []
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
            if not follow_up_shape(twhere, turn, kinds, errors):
                continue
            files = check_expect(twhere, turn["expect"], texts, errors)
            counts["several-report turns"] += len(files) >= 2
            if verbose and turn["expect"] is not None:
                print(f"  {twhere} ({turn['kind']}): {sorted(files)}")
            counts["follow-ups"] += 1
            counts["new"] += turn["kind"] == "new"
            if turn["expect"] is None:
                counts["uncovered"] += 1
                nulls.append(turn["meant"])
                uncovered_in.append(conv["id"])
    # strict (blind10 on): at most one uncovered follow-up a conversation.
    if strict:
        repeated = sorted({cid for cid in uncovered_in if uncovered_in.count(cid) > 1})
        if repeated:
            errors.append(f"conversations.jsonl: more than one uncovered follow-up in {repeated}")
    return [
        "conversations: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
        "follow-ups by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()),
    ], nulls


# A conversations check: (rows, texts, errors, verbose, strict) -> (summary lines, uncovered texts).
ConversationCheck = Callable[
    [list[dict], dict[str, str], list[str], bool, bool], tuple[list[str], list[str]]
]


def check_set(
    folder: Path, doc: str, verbose_help: str, questions: bool, strict: bool = False,
    conversations: ConversationCheck = check_conversations,
) -> int:
    """Check a set's questions (if any) and conversations, print a summary, return the status."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--multi-dev", type=Path, default=DEFAULT_MULTI_DEV,
                        help="folder holding the ten multi_dev reports")
    parser.add_argument("-v", "--verbose", action="store_true", help=verbose_help)
    args = parser.parse_args()
    errors: list[str] = []
    files = source_files(args.multi_dev)
    if len(files) != 13:
        errors.append(f"expected 13 source files, found {len(files)}: {[f.name for f in files]}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    corpus_lower = "\n".join(texts.values()).lower()

    summary = [f"sources: {len(files)}"]
    nulls: list[tuple[str, str]] = []
    per_file: dict[str, int] = {}
    if questions:
        rows = load_jsonl(folder / "questions.jsonl", errors)
        answerable, several, offtopic, qnulls, per_file = check_questions(
            rows, texts, errors, args.verbose, strict)
        summary.append(f"questions: {answerable} answerable ({several} answered in several "
                       f"reports), {offtopic} off-topic")
        if strict:
            summary.append("questions per report: "
                           + ", ".join(f"{name[:2]} {n}" for name, n in per_file.items()))
        nulls += [("off-topic question", text) for text in qnulls]
    rows = load_jsonl(folder / "conversations.jsonl", errors)
    lines, cnulls = conversations(rows, texts, errors, args.verbose, strict)
    summary += lines
    nulls += [("uncovered turn", text) for text in cnulls]
    # strict (blind10 on): every report answers at least two questions.
    unused = [name for name, n in per_file.items() if n < 2]
    if strict and unused:
        errors.append(f"reports answering fewer than 2 questions: {unused}")

    for line in summary:
        print(line)
    for label, text in nulls:
        print_null(label, text, corpus_lower)
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0
