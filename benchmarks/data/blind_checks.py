"""What the 13-report held-out sets' checkers share (stdlib only): the sources, JSON lines, the
expected texts' check, and which words of an uncovered item the corpus holds.

Used by blind7/check.py and blind9/check.py, and for check_expect by blind5/check.py (each
run as `python3 <folder>/check.py`).
"""
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The shared folder beside the checkout (as benchmarks/quality.py finds it).
DEFAULT_MULTI_DEV = REPO.parent / "shared" / "eval" / "multi_dev" / "sources"
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


def corpus_words(text: str, corpus_lower: str) -> tuple[list[str], list[str]]:
    """Split a null item's content words into those the corpus has and those it lacks."""
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower()) if w not in STOP]
    # A word counts with a plain plural or possessive ending ("euro" in "euros"), not as a prefix
    # of a longer word ("bill" in "billion"), so the list shows what BM25 would really match.
    ending = r"(?:s|es|'s|’s)?(?![a-z0-9])"
    has = [w for w in words if re.search(r"(?<![a-z0-9])" + re.escape(w) + ending, corpus_lower)]
    return has, [w for w in words if w not in has]
