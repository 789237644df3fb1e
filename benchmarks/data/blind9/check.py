#!/usr/bin/env python3
"""Consistency checks for the blind9 conversations (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

Checks the shape of conversations.jsonl (ids unique, 3-5 turns, kinds valid, `uncovered` exactly
when `expect` is null), that every `expect` substring occurs verbatim in one of the 13 source
reports, and prints, for each turn with `expect: null`, which of its words the corpus contains (so
the hard negatives are visible). Exits 1 on any error.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from blind_checks import check_set  # noqa: E402

if __name__ == "__main__":
    sys.exit(check_set(HERE, __doc__, "list the files each answerable turn hits", questions=False))
