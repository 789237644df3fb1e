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
on any error. The checks are ../set_checks.py's, without conversations.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from set_checks import SHAPES, run  # noqa: E402

# Up to 3 expect strings an article question here (the later sets allow 2).
BLIND12_SHAPES = {**SHAPES, "article.jsonl": (45, 38, 7, 3)}

if __name__ == "__main__":
    sys.exit(run(HERE, __doc__, turns_allowed=None, shapes=BLIND12_SHAPES))
