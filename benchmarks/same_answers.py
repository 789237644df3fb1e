"""Every answer to bench_scale's questions, to check that a speed change changes none.

Run once on each checkout, then compare (the index is built in WORKDIR when missing or stale):
  .venv/bin/python benchmarks/same_answers.py 100000 /tmp/answers before.json
  .venv/bin/python benchmarks/same_answers.py 100000 /tmp/answers after.json --against before.json
Each answer is written whole (passages, exact scores, abstention, missing words, unknown terms),
for the timed and warm-up questions with the defaults and a seventh of them with top=5, context=0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from synthetic import SENTENCES_PER_FILE, Corpus  # noqa: E402

from index.engine import Engine  # noqa: E402

WARMUP_QUERIES = 50  # as bench_scale draws them: the timed ones first, then the warm-up ones


def answers(size: int, workdir: Path, n_queries: int) -> list[str]:
    """repr() of every answer, in question order."""
    corpus = Corpus(size)
    src = workdir / f"src-{size}"
    if not src.exists():
        corpus.write(src)
    else:  # draw the files again unwritten: the questions come after them (bench_scale's)
        for count, first in enumerate(range(0, size, SENTENCES_PER_FILE)):
            corpus.file_text(count, min(SENTENCES_PER_FILE, size - first))
    questions = corpus.questions(n_queries) + corpus.questions(WARMUP_QUERIES)
    engine = Engine(src, workdir / f"idx-{size}")
    engine.open()
    out = [repr(engine.ask(q)) for q in questions]
    return out + [repr(engine.ask(q, top=5, context=0)) for q in questions[::7]]


def main() -> None:
    """Write the answers; with --against, say how many differ from an earlier run's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--against", type=Path)
    args = parser.parse_args()
    now = answers(args.size, args.workdir, args.queries)
    args.out.write_text(json.dumps(now, indent=0), encoding="utf-8")
    print(f"{len(now)} answers, {sum('answered=True' in a for a in now)} answered")
    if args.against:
        before = json.loads(args.against.read_text(encoding="utf-8"))
        differ = [i for i, (a, b) in enumerate(zip(before, now, strict=True)) if a != b]
        print(f"differ from {args.against}: {len(differ)} {differ[:10]}")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
