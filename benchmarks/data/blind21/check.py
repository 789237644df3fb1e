#!/usr/bin/env python3
"""Consistency checks for the blind21 article, multi-report and conversation sets (stdlib only).

Run: python3 check.py [--multi-dev DIR] [-v]

What is checked, and how: ../set_checks.py (conversations of 4-6 turns). Exits 1 on
any error.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from set_checks import run  # noqa: E402

if __name__ == "__main__":
    sys.exit(run(HERE, __doc__, turns_allowed=(4, 6)))
