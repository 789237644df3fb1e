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
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from blind_checks import (  # noqa: E402
    ARTICLE,
    arguments,
    check_rows,
    load_jsonl,
    print_null,
    thirteen_reports,
)

# file name -> (rows, answerable, off-topic, most expect strings a question)
SHAPES = {"article.jsonl": (45, 38, 7, 3), "multi.jsonl": (60, 48, 12, 4)}


def main() -> int:
    """Run every check, print a summary, return the exit status."""
    args = arguments(__doc__, "list the files each answerable question hits")
    errors: list[str] = []
    texts = thirteen_reports(args.multi_dev, ARTICLE, errors)
    if texts is None:
        return 1
    article = {ARTICLE: texts[ARTICLE]}

    rows = load_jsonl(HERE / "article.jsonl", errors)
    article_found, _, _, article_nulls = check_rows("article.jsonl", rows, article, errors,
                                                    args.verbose, SHAPES["article.jsonl"])
    rows = load_jsonl(HERE / "multi.jsonl", errors)
    multi_found, per_file, several, multi_nulls = check_rows("multi.jsonl", rows, texts, errors,
                                                             args.verbose, SHAPES["multi.jsonl"])
    unused = [name for name, n in per_file.items() if n < 2]
    if unused:
        errors.append(f"multi.jsonl: reports answering fewer than 2 questions: {unused}")

    print(f"sources: {len(texts)}")
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
