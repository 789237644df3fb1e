"""Check the blind8 question set and conversations against the bundled article (stdlib only).

Run from anywhere: python benchmarks/data/blind8/check.py
Exits 1 when a file is malformed or an expected substring is not in the article verbatim.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/data: what the checkers share
from article_checks import ArticleSet, run  # noqa: E402

BLIND8 = ArticleSet(folder=HERE, answerable=36, off_topic=8,
                    conversation_ids=[f"h{n:02d}" for n in range(1, 9)])

if __name__ == "__main__":
    sys.exit(run(BLIND8))
