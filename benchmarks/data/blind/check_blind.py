#!/usr/bin/env python3
"""Check the blind held-out sets against their sources (stdlib only; never runs the engine).

    python3 benchmarks/data/blind/check_blind.py            # checks + summary
    python3 benchmarks/data/blind/check_blind.py -v         # also: which files answer each question

Checks:
  1. every `expect` string occurs verbatim (case-sensitive, exact quote characters, as the scorer
     compares raw text) in the body of at least one source of the set's corpus: the bundled
     article alone for article.jsonl and for conversations marked "seed"; the article plus the ten
     multi_dev reports for multi.jsonl and conversations marked "multi_dev";
  2. no `expect` string spans a line break or sits only in a heading (a passage is sentences);
  3. formats: question files {"question", "expect"}; conversations {"id", "corpus", "turns"}, every
     follow-up turn with a known `kind` and a `meant`, `expect` a list of strings or null;
  4. for every question/turn with expect null: the content words that DO occur in the corpus, so a
     reader can confirm the entity or fact asked about does not;
  5. no question is a copy or near copy of a public development question (word overlap).
Exit status 1 if any check fails.
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SHARED = ROOT.parent / "shared" / "eval"
MULTI_SOURCES = SHARED / "multi_dev" / "sources"
SEED_CANDIDATES = (ROOT / "sources" / "peace-talks-sticking-points.md",
                   ROOT.parent / "shared" / "seed" / "article.txt")
KINDS = {"party", "topic", "detail", "pronoun", "why", "how", "return", "new", "uncovered"}
PUBLIC = (SHARED / "seed_dev.jsonl", SHARED / "multi_dev" / "questions.jsonl",
          SHARED / "conversations_dev.jsonl",
          *sorted((ROOT / "benchmarks" / "data").glob("conversations_multi_*.jsonl")))
# Words too common in questions to say anything about whether the corpus covers them.
STOP_LINES = (
    "a about above actually after again against all almost also am an and any anything are aren",
    "around as at back be been before being between both but by can cant could did didnt do does",
    "doesnt doing done dont down during each else even ever every exactly few for from get got had",
    "has have he her here him his how i if im in into is isnt it its just know last least let like",
    "lol many may me might more most much must my no not now of off ok on once only or other our",
    "out over own per really said same say says see she should since so some still such than that",
    "thats the their them then there these they thing things this those though through till to too",
    "u under until up us very was we were what whats when where which while who whos why will with",
    "won wont would ya yet you your these days long big new year going back",
)
STOP = frozenset(word for line in STOP_LINES for word in line.split())

failures: list[str] = []


def fail(message: str) -> None:
    """Record and print one failed check."""
    failures.append(message)
    print("FAIL:", message)


def body(path: Path) -> str:
    """A source's text without its YAML front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("---", 2)[2]
    return text


def load_corpora() -> dict[str, dict[str, str]]:
    """The two corpora a set can be scored on: name -> {file name: body}."""
    seed_path = next(p for p in SEED_CANDIDATES if p.exists())
    seed = {"seed": body(seed_path)}
    multi = dict(seed)
    multi.update({p.name: body(p) for p in sorted(MULTI_SOURCES.glob("*.md"))})
    if len(multi) != 11:
        fail(f"expected the article + 10 reports, found {len(multi)} files in {MULTI_SOURCES}")
    return {"seed": seed, "multi_dev": multi}


def words(text: str) -> set[str]:
    """Lowercase content words of a text."""
    text = re.sub(r"'s\b", "", text.lower().replace("\u2019", "'"))
    return {w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text) if w not in STOP}


def check_expect(where: str, expect: object, corpus: dict[str, str], verbose: bool) -> set[str]:
    """Check one `expect` value; return the files that contain one of its strings."""
    if expect is None:
        return set()
    if not isinstance(expect, list) or not expect or not all(isinstance(s, str) for s in expect):
        fail(f"{where}: expect must be null or a non-empty list of strings, got {expect!r}")
        return set()
    found: set[str] = set()
    for s in expect:
        files = {name for name, text in corpus.items() if s in text}
        if not files:
            fail(f"{where}: expect {s!r} occurs verbatim in no source")
        if "\n" in s:
            fail(f"{where}: expect {s!r} spans a line break")
        for name in files:
            lines = [ln for ln in corpus[name].splitlines() if s in ln]
            if lines and all(ln.lstrip().startswith("#") for ln in lines):
                fail(f"{where}: expect {s!r} occurs only in a heading of {name}")
        if not 6 <= len(s) <= 90:
            print(f"note: {where}: expect {s!r} is {len(s)} characters")
        found |= files
    if verbose:
        print(f"  {where}: {', '.join(sorted(found))}")
    return found


def report_absent(where: str, text: str, corpus: dict[str, str]) -> None:
    """For an unanswerable item, print which of its content words occur in the corpus."""
    vocabulary = set().union(*(words(t) for t in corpus.values()))
    present = sorted(words(text) & vocabulary)
    absent = sorted(words(text) - vocabulary)
    print(f"  null {where}: {text!r}\n      in corpus: {present}\n      not in corpus: {absent}")


def public_questions() -> list[str]:
    """Every question or turn text of the public development sets."""
    texts: list[str] = []
    for path in PUBLIC:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row.get("question", ""))
            for turn in row.get("turns", []):
                texts += [turn["say"], turn.get("meant", "")]
    return [t for t in texts if t]


def check_not_copied(where: str, text: str, public: list[str]) -> None:
    """Fail a question whose content words mostly repeat one public question's."""
    mine = words(text)
    for other in public:
        theirs = words(other)
        if not mine or not theirs:
            continue
        shared = mine & theirs
        overlap = len(shared) / len(mine | theirs)
        # Short questions share 'kyiv' or 'plant' by chance: fail a big overlap, note a middling.
        if overlap >= 0.75 or (overlap >= 0.6 and len(shared) >= 4):
            fail(f"{where}: {text!r} is close to public {other!r}")
        elif overlap >= 0.5 and len(shared) >= 3:
            print(f"note: {where}: {text!r} shares {sorted(shared)} with public {other!r}")


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a JSON-lines file, failing on a malformed line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            fail(f"{path.name}:{number}: not JSON ({error})")
    return rows


def check_questions(name: str, corpus_name: str, corpora: dict, public: list[str],
                    verbose: bool) -> None:
    """Check a question file scored on one corpus and print its counts."""
    corpus = corpora[corpus_name]
    rows = read_jsonl(HERE / name)
    answerable = spread = 0
    per_file: dict[str, int] = {}
    print(f"{name} (corpus {corpus_name}):")
    for number, row in enumerate(rows, 1):
        where = f"{name}:{number}"
        if set(row) != {"question", "expect"}:
            fail(f"{where}: keys {sorted(row)}")
        check_not_copied(where, row["question"], public)
        if row["expect"] is None:
            report_absent(where, row["question"], corpus)
            continue
        answerable += 1
        files = check_expect(where, row["expect"], corpus, verbose)
        spread += len(files) > 1
        for f in files:
            per_file[f] = per_file.get(f, 0) + 1
    print(f"  {len(rows)} questions: {answerable} answerable ({spread} answered by several files), "
          f"{len(rows) - answerable} unanswerable")
    print("  answerable per file:", ", ".join(f"{k}={v}" for k, v in sorted(per_file.items())))


def check_conversations(corpora: dict, public: list[str], verbose: bool) -> None:
    """Check conversations.jsonl and print its counts."""
    rows = read_jsonl(HERE / "conversations.jsonl")
    kinds: dict[str, int] = {}
    by_corpus: dict[str, int] = {}
    print("conversations.jsonl:")
    for row in rows:
        cid, corpus_name, turns = row.get("id"), row.get("corpus"), row.get("turns") or []
        if corpus_name not in corpora or not turns:
            fail(f"{cid}: corpus {corpus_name!r} or empty turns")
            continue
        by_corpus[corpus_name] = by_corpus.get(corpus_name, 0) + 1
        corpus = corpora[corpus_name]
        for index, turn in enumerate(turns):
            where = f"{cid} turn {index + 1}"
            check_not_copied(where, turn.get("meant") or turn["say"], public)
            if index == 0 and ("kind" in turn or turn["expect"] is None):
                fail(f"{where}: the opening turn has no kind and must be answerable")
            if index > 0:
                kind = turn.get("kind")
                kinds[kind] = kinds.get(kind, 0) + 1
                if kind not in KINDS or not turn.get("meant"):
                    fail(f"{where}: kind {kind!r} unknown or no meant")
                if (kind == "uncovered") != (turn["expect"] is None):
                    fail(f"{where}: expect null exactly when kind is uncovered")
            if turn["expect"] is None:
                report_absent(where, turn["meant"], corpus)
            else:
                check_expect(where, turn["expect"], corpus, verbose)
    print(f"  {len(rows)} conversations {by_corpus}, {sum(kinds.values())} follow-ups: "
          + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items())))


def main() -> int:
    """Run every check; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the files answering each item")
    verbose = parser.parse_args().verbose
    corpora = load_corpora()
    public = public_questions()
    check_questions("article.jsonl", "seed", corpora, public, verbose)
    check_questions("multi.jsonl", "multi_dev", corpora, public, verbose)
    check_conversations(corpora, public, verbose)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
