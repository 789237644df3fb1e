"""How small the two-stage search's shortlist can be: answers at each size against scoring all.

Run: .venv/bin/python benchmarks/shortlist_size.py [--rows 24,48,96,192,384,768] [--synthetic 20000]
For every public question set (and WikiQA's test split as one corpus, and a synthetic corpus),
each question is answered by the exhaustive path (every candidate gets every signal) and by the
shortlist path at each size (index/shortlist.SHORTLIST_ROWS candidates); a
question differs when its answered flag, abstention, unknown words or any passage (rows, score,
"also reported by") differ. Prints the differing questions per size, for context 0 and 1.
tests/index/test_two_stage.py asserts none differ at the shipped size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from quality import conversation_questions  # noqa: E402
from synthetic import Corpus  # noqa: E402
from wikiqa import DEFAULT_TSV, load_tsv, write_sources  # noqa: E402

import index.shortlist as shortlist_module  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.evaluate import EvalQuestion, load_questions  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
DATA = ROOT / "tests" / "index" / "data"


def _multi_sources(folder: Path) -> Path:
    """The bundled article and multi_dev's reports in one folder."""
    import shutil

    shutil.copytree(ROOT / "sources", folder)
    for md in (SHARED / "multi_dev" / "sources").glob("*.md"):
        shutil.copy(md, folder / md.name)
    return folder


def public_sets(tmp: Path) -> Iterator[tuple[str, Path, list[EvalQuestion]]]:
    """(name, sources folder, questions) for every public set, and WikiQA as one corpus."""
    yield "article", ROOT / "sources", [
        *load_questions(SHARED / "seed_dev.jsonl"), *load_questions(DATA / "own_dev.jsonl"),
        *conversation_questions(SHARED / "conversations_dev.jsonl"),
        *load_questions(DATA / "article_own_heldout.jsonl")]
    yield "multi", _multi_sources(tmp / "multi"), [
        *load_questions(SHARED / "multi_dev" / "questions.jsonl"),
        *load_questions(DATA / "multi_own_heldout.jsonl")]
    yield "encyclopedia_dev", DATA / "encyclopedia_dev", [
        *load_questions(DATA / "encyclopedia_dev.jsonl"),
        *load_questions(DATA / "encyclopedia_dev_own.jsonl")]
    yield "encyclopedia_blind", DATA / "encyclopedia_blind", [
        EvalQuestion(question=q.question, expect=q.expect) for q in
        load_questions(DATA / "encyclopedia_blind.jsonl")]
    questions, docs = load_tsv(DEFAULT_TSV)
    write_sources(docs, tmp / "wikiqa")
    yield "wikiqa", tmp / "wikiqa", [EvalQuestion(question=q.text, expect=None) for q in questions]


def answer_shape(engine: Engine, q: EvalQuestion, context: int) -> tuple:
    """Everything of an answer that the speed-up must not change."""
    result = engine.ask(q.question, source=q.source, context=context)
    return (result.answered, result.abstention, result.unknown_terms,
            [(p.rank, p.score, p.sentence_ids, p.match_offset, p.also_reported_by)
             for p in result.passages])


@contextmanager
def exhaustive_mode() -> Iterator[None]:
    """Every candidate scored (no shortlist) while inside."""
    sizes = shortlist_module.SHORTLIST_ROWS, shortlist_module.SHORTLIST_PER_ROW
    shortlist_module.SHORTLIST_ROWS = 10**9  # the shortlist then holds every candidate
    try:
        yield
    finally:
        shortlist_module.SHORTLIST_ROWS, shortlist_module.SHORTLIST_PER_ROW = sizes


def exhaustive_shapes(engine: Engine, questions: list[EvalQuestion], context: int) -> list:
    """The answers with every candidate scored (no shortlist)."""
    with exhaustive_mode():
        return [answer_shape(engine, q, context) for q in questions]


def differing(engine: Engine, questions: list[EvalQuestion], context: int,
              sizes: list[int]) -> list[int]:
    """For each shortlist size (rows), how many questions' answers differ."""
    full = exhaustive_shapes(engine, questions, context)
    shipped, out = shortlist_module.SHORTLIST_ROWS, []
    per_row, shortlist_module.SHORTLIST_PER_ROW = shortlist_module.SHORTLIST_PER_ROW, 0
    try:
        for size in sizes:
            shortlist_module.SHORTLIST_ROWS = size
            out.append(sum(answer_shape(engine, q, context) != f
                           for q, f in zip(questions, full, strict=True)))
    finally:
        shortlist_module.SHORTLIST_ROWS, shortlist_module.SHORTLIST_PER_ROW = shipped, per_row
    return out


def main() -> None:
    """Print the differing questions per shortlist size for every set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="24,48,96,192,384,768")
    parser.add_argument("--synthetic", type=int, default=20000, help="sentences (0: none)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.rows.split(",")]
    print(f"shipped: {shortlist_module.SHORTLIST_ROWS} rows")
    print("| set | questions | context | " + " | ".join(f"{s} rows" for s in sizes) + " |")
    print("|---|---|---|" + "---|" * len(sizes))
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sets = list(public_sets(tmp))
        if args.synthetic:
            corpus = Corpus(args.synthetic)
            corpus.write(tmp / "synthetic")
            sets.append((f"synthetic {args.synthetic:,}", tmp / "synthetic",
                         [EvalQuestion(question=q, expect=None) for q in corpus.questions(300)]))
        for number, (name, sources, questions) in enumerate(sets):
            engine = Engine(sources, tmp / f"index-{number}")
            for context in (0, 1):
                counts = differing(engine, questions, context, sizes)
                print(f"| {name} | {len(questions)} | {context} | "
                      + " | ".join(str(c) for c in counts) + " |", flush=True)


if __name__ == "__main__":
    main()
