#!/usr/bin/env python3
"""Consistency checks for the blind12 article and multi-report questions (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

Checks the shape of article.jsonl (45 questions: 38 answerable, 7 off-topic) and multi.jsonl
(60 questions: 48 answerable, 12 off-topic): keys exactly `question` and `expect`, questions
non-empty and unique, `expect` null or a list of short strings (4-10 words); that every
article.jsonl substring occurs verbatim, once, in the bundled article and every multi.jsonl
substring verbatim, once, in one of the 13 source reports; that every report answers at least two
multi.jsonl questions. Prints, for each question with `expect: null`, which of its content words
the corpus has and lacks (the article for article.jsonl, all 13 reports for multi.jsonl). Exits 1
on any error.
"""
import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from blind_checks import (  # noqa: E402
    DEFAULT_MULTI_DEV,
    check_expect,
    load_jsonl,
    print_null,
    source_files,
)

ARTICLE = "peace-talks-sticking-points.md"
# file name -> (rows, answerable, off-topic, most expect strings a question)
SHAPES = {"article.jsonl": (45, 38, 7, 3), "multi.jsonl": (60, 48, 12, 4)}
MIN_WORDS, MAX_WORDS = 4, 10


def check_rows(
    name: str, rows: list[dict], texts: dict[str, str], errors: list[str], verbose: bool
) -> tuple[int, dict[str, int], int, list[str]]:
    """Check one file's rows; return answerable, per-report and several-report counts, nulls."""
    total, answerable, offtopic, most = SHAPES[name]
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


def main() -> int:
    """Run every check, print a summary, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multi-dev", type=Path, default=DEFAULT_MULTI_DEV,
                        help="folder holding the ten multi_dev reports")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the files each answerable question hits")
    args = parser.parse_args()
    errors: list[str] = []
    files = source_files(args.multi_dev)
    if len(files) != 13:
        errors.append(f"expected 13 source files, found {len(files)}: {[f.name for f in files]}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    if ARTICLE not in texts:
        errors.append(f"bundled article {ARTICLE} not found")
        for error in errors:
            print("ERROR", error)
        return 1
    article = {ARTICLE: texts[ARTICLE]}

    rows = load_jsonl(HERE / "article.jsonl", errors)
    article_found, _, _, article_nulls = check_rows("article.jsonl", rows, article, errors,
                                                    args.verbose)
    rows = load_jsonl(HERE / "multi.jsonl", errors)
    multi_found, per_file, several, multi_nulls = check_rows("multi.jsonl", rows, texts, errors,
                                                             args.verbose)
    unused = [name for name, n in per_file.items() if n < 2]
    if unused:
        errors.append(f"multi.jsonl: reports answering fewer than 2 questions: {unused}")

    print(f"sources: {len(files)}")
    print(f"article.jsonl: {article_found} answerable, {len(article_nulls)} off-topic")
    print(f"multi.jsonl: {multi_found} answerable ({several} answered in several reports, "
          f"{multi_found - several} in one), {len(multi_nulls)} off-topic")
    print("multi.jsonl questions per report: "
          + ", ".join(f"{name[:2]} {n}" for name, n in per_file.items()))
    for text in article_nulls:
        print_null("article off-topic", text, texts[ARTICLE].lower())
    for text in multi_nulls:
        print_null("multi off-topic", text, "\n".join(texts.values()).lower())
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
