"""Check the blind11 question set and conversations against the bundled article (stdlib only).

Run from anywhere: python benchmarks/data/blind11/check.py
Exits 1 when a file is malformed or an expected substring is not in the article verbatim.
Beyond blind8's checks (both in ../article_checks.py, `strict`): no question or turn may repeat
one of the development files' verbatim, the uncovered turns must be in different conversations,
and there must be exactly one 'new' turn and at least 26 follow-ups; expected substrings that
recur in the article or have fewer than 4 or more than 10 words are noted (not errors), and the
follow-ups are counted by kind.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from article_checks import ArticleSet, run  # noqa: E402

SHARED_EVAL = HERE.parents[3] / "shared" / "eval"  # ../shared, beside the repository

BLIND11 = ArticleSet(
    folder=HERE, answerable=38, off_topic=7, conversation_ids=[f"m{n:02d}" for n in range(1, 9)],
    strict=True, min_follow_ups=26,
    # No question or turn here may repeat one of theirs verbatim (a file that is absent is skipped).
    dev_files=(SHARED_EVAL / "seed_dev.jsonl", SHARED_EVAL / "conversations_dev.jsonl"),
)

if __name__ == "__main__":
    sys.exit(run(BLIND11))
