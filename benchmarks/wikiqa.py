"""WikiQA answer-sentence selection through the engine: MAP, MRR, P@1 and answer triggering.

Each WikiQA document becomes one Markdown source (titled with its DocumentTitle, one sentence a
paragraph), and every question is asked through `Engine.ask`, the path the CLI and the bot use.
(a) restricted to the question's own document (the published task), (b) over all documents.

    .venv/bin/python benchmarks/wikiqa.py [--tsv PATH] [--limit N] [--no-ablation]

`--dev` runs our own development sets instead (the seed questions and own_dev on the bundled
article, encyclopedia_dev and encyclopedia_blind on our own encyclopedia-style documents, the blind
questions written from the titles before the documents): that is where every weight was set, by
the rule in RULE_SETS; `--grid name=v1,v2 …` evaluates a small grid of settings there. WikiQA
stays held out.

    .venv/bin/python benchmarks/wikiqa.py --dev [--grid position_weight=0,0.15,0.3]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.answer import MAX_TOP
from index.engine import Engine
from index.evaluate import EvalReport, ask_json, evaluate, load_questions
from index.serialize import answer_to_json
from index.settings import PLAIN_BM25, SearchSettings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TSV = ROOT.parent / "shared/eval/wikiqa/WikiQA-test.tsv"
DEV_DATA = ROOT / "tests/index/data"
# (name, question file, sources folder, passage context, restrict to the question's source): the
# encyclopedia sets are scored on the matched sentence alone (context 0), as WikiQA scores one.
DEV_SETS = (("seed", DEV_DATA / "seed_dev.jsonl", ROOT / "sources", 1, True),
            ("own_dev", DEV_DATA / "own_dev.jsonl", ROOT / "sources", 1, True),
            ("encyclopedia_dev", DEV_DATA / "encyclopedia_dev.jsonl",
             DEV_DATA / "encyclopedia_dev", 0, True),
            # the same answerable questions, each restricted to its own document (as WikiQA (a))
            ("encyclopedia_own", DEV_DATA / "encyclopedia_dev_own.jsonl",
             DEV_DATA / "encyclopedia_dev", 0, True),
            # Questions written from the 40 titles alone before the documents were written (see
            # encyclopedia_blind_questions.txt): what a searcher asks before reading. Restricted to
            # the question's own document (as WikiQA (a)), then over all 40 (as WikiQA (b)).
            ("blind_own", DEV_DATA / "encyclopedia_blind.jsonl",
             DEV_DATA / "encyclopedia_blind", 0, True),
            ("blind_all", DEV_DATA / "encyclopedia_blind.jsonl",
             DEV_DATA / "encyclopedia_blind", 0, False))
# The rule the defaults were chosen by (fixed before the blind set's figures were seen): the mean
# MRR@5 of seed, own_dev, encyclopedia_dev and encyclopedia_blind (the mean of its two variants),
# with seed and own_dev kept at hit@1 = hit@3 = 1.0 and abstentions exact.
RULE_SETS = {"seed": 1.0, "own_dev": 1.0, "encyclopedia_dev": 1.0, "blind_own": 0.5,
             "blind_all": 0.5}
_HEADING_START = ("#",)  # a paragraph starting so would be read as a heading


@dataclass
class Question:
    """One WikiQA question: its document, and which of the document's sentences are correct."""

    qid: str
    text: str
    doc: str
    labels: list[int]


@dataclass(frozen=True)
class Scores:
    """The figures of one run."""

    map: float
    mrr: float
    p1: float
    abstain: float  # share of questions without a correct sentence on which the engine abstained


def load_tsv(path: Path, limit: int | None = None) -> tuple[list[Question], dict[str, tuple[str,
                                                                                       list[str]]]]:
    """Questions (in file order) and documents (id → title, sentences) from the WikiQA TSV."""
    questions: dict[str, Question] = {}
    docs: dict[str, tuple[str, list[str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            qid = row["QuestionID"]
            if qid not in questions:
                if limit is not None and len(questions) == limit:
                    break
                questions[qid] = Question(qid, row["Question"], row["DocumentID"], [])
            questions[qid].labels.append(int(row["Label"]))
            _, sentences = docs.setdefault(row["DocumentID"], (row["DocumentTitle"], []))
            index = int(row["SentenceID"].rsplit("-", 1)[1])
            if index == len(sentences):  # each document's sentences repeat for each question
                sentences.append(row["Sentence"])
    return list(questions.values()), docs


def write_sources(docs: dict[str, tuple[str, list[str]]], folder: Path) -> None:
    """One Markdown source per document: front-matter title, then one sentence a paragraph."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (title, sentences) in docs.items():
        # A leading '#' would make a heading; escape it so every sentence stays a paragraph.
        body = "\n\n".join("\\" + s if s.startswith(_HEADING_START) else s for s in sentences)
        (folder / f"{doc_id}.md").write_text(f"---\ntitle: {json.dumps(title)}\n---\n\n{body}\n",
                                             encoding="utf-8")


def ranking(answer_json: dict[str, object], doc: str, n_sentences: int,
            restricted: bool) -> list[tuple[str, int]]:
    """(document, sentence index) best first; in (a) unreturned sentences follow in order.

    A passage's paragraph number is the sentence's position, so a sentence that the splitter cut
    in two still maps back to one WikiQA sentence (its first piece ranks it).
    """
    seen: dict[tuple[str, int], None] = {}
    for passage in answer_json["passages"]:  # type: ignore[union-attr]
        seen.setdefault((passage["source"], passage["paragraph"] - 1), None)  # type: ignore[index]
    if restricted:
        for i in range(n_sentences):
            seen.setdefault((doc, i), None)
    return list(seen)


def average_precision(ranked: Sequence[tuple[str, int]], correct: set[tuple[str, int]]) -> float:
    """AP over a ranked list; a correct sentence missing from the list adds precision 0."""
    hits, total = 0, 0.0
    for position, item in enumerate(ranked, 1):
        if item in correct:
            hits += 1
            total += hits / position
    return total / len(correct) if correct else 0.0


def reciprocal_rank(ranked: Sequence[tuple[str, int]], correct: set[tuple[str, int]]) -> float:
    """1 / rank of the first correct item, 0 when none is listed."""
    return next((1 / p for p, item in enumerate(ranked, 1) if item in correct), 0.0)


def run(engine: Engine, questions: Iterable[Question], docs: dict[str, tuple[str, list[str]]],
        restricted: bool) -> Scores:
    """Ask every question and score the rankings."""
    aps, rrs, p1s, abstained, unanswerable = [], [], [], 0, 0
    for q in questions:
        # Read the answer through the public JSON shape, exactly as `citebot ask --json` prints it.
        shape = answer_to_json(engine.ask(q.text, top=MAX_TOP,
                                          source=q.doc if restricted else None, context=0))
        correct = {(q.doc, i) for i, label in enumerate(q.labels) if label}
        if not correct:
            unanswerable += 1
            abstained += not shape["answered"]
            continue
        ranked = ranking(shape, q.doc, len(docs[q.doc][1]), restricted)
        aps.append(average_precision(ranked, correct))
        rrs.append(reciprocal_rank(ranked, correct))
        p1s.append(float(bool(ranked) and ranked[0] in correct))
    n = max(len(aps), 1)
    return Scores(sum(aps) / n, sum(rrs) / n, sum(p1s) / n, abstained / max(unanswerable, 1))


def check_paragraphs(engine: Engine, docs: dict[str, tuple[str, list[str]]]) -> int:
    """How many documents were not read back as one paragraph per WikiQA sentence."""
    index = engine.snapshot.index
    bad = 0
    for record in index.sources:
        rows = range(record.first, record.first + record.count)
        numbers = {int(index.para_number[int(index.sent_para[r])]) for r in rows}
        bad += numbers != set(range(1, len(docs[record.source_id][1]) + 1))
    return bad


def _settings_rows(ablation: bool) -> list[tuple[str, SearchSettings]]:
    """The configurations to report: the engine, plain BM25, and each signal switched off."""
    rows = [("engine (defaults)", SearchSettings()), ("plain BM25", PLAIN_BM25)]
    if ablation:
        defaults = SearchSettings()
        rows += [(f"without {f.name}", defaults.without(f.name)) for f in fields(defaults)
                 if f.name not in ("min_coverage", "position_decay")
                 and getattr(defaults, f.name)]
    return rows


def dev_report(engine: Engine, questions_file: Path, context: int,
               restrict: bool = True) -> EvalReport:
    """One development set's figures under the engine's current settings (as acceptance scores)."""
    questions = load_questions(questions_file)
    return evaluate(ask_json(engine, engine.settings, 3, context, restrict), questions)


def _grid_rows(specs: Sequence[str]) -> list[tuple[str, SearchSettings]]:
    """Every combination of `name=v1,v2` values, over the defaults."""
    axes = []
    for spec in specs:
        name, _, values = spec.partition("=")
        axes.append([(name, float(v)) for v in values.split(",")])
    rows = []
    for combo in itertools.product(*axes):
        settings = replace(SearchSettings(), **dict(combo))
        rows.append((" ".join(f"{n}={v:g}" for n, v in combo), settings))
    return rows


def dev_main(ablation: bool, grid: Sequence[str], verbose: bool) -> int:
    """Print hit@1 / hit@3 / MRR@5 / abstention on our own development sets."""
    rows = _grid_rows(grid) if grid else _settings_rows(ablation)
    with tempfile.TemporaryDirectory() as tmp:
        engines: dict[str, tuple[Engine, Path, int, bool]] = {}
        built: dict[Path, Engine] = {}
        for name, qfile, src, context, restrict in DEV_SETS:
            if src not in built:
                built[src] = Engine(src, Path(tmp) / name)
            engines[name] = (built[src], qfile, context, restrict)
        header = " | ".join(f"{n} hit@1 | {n} hit@3 | {n} MRR@5 | {n} abst | {n} wrong"
                            for n, *_ in DEV_SETS)
        print(f"| configuration | {header} | rule (mean MRR@5) | seed+own_dev exact |")
        print("|---" * (1 + 5 * len(DEV_SETS) + 2) + "|")
        for name, settings in rows:
            cells, rule, exact = [], 0.0, True
            for set_name, (engine, qfile, context, restrict) in engines.items():
                engine.settings = settings
                r = dev_report(engine, qfile, context, restrict)
                rule += RULE_SETS.get(set_name, 0.0) * r.mrr5
                if set_name in ("seed", "own_dev"):
                    exact &= (r.hit1 == 1.0 and r.hit3 == 1.0 and r.wrongful_abstentions == 0
                              and r.abstained_unanswerable == r.unanswerable)
                cells.append(f"{r.hit1:.3f} | {r.hit3:.3f} | {r.mrr5:.3f} | "
                             f"{r.abstained_unanswerable}/{r.unanswerable} | "
                             f"{r.wrongful_abstentions}")
                if verbose:
                    print("\n".join(f"    {set_name}: {line}" for line in r.lines()[6:]))
            print(f"| {name} | {' | '.join(cells)} | {rule / sum(RULE_SETS.values()):.4f} "
                  f"| {'yes' if exact else 'NO'} |")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Build the WikiQA sources, run both variants for each configuration, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--limit", type=int, default=None, help="first N questions only")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--dev", action="store_true", help="our development sets, not WikiQA")
    parser.add_argument("--grid", nargs="*", default=[], help="name=v1,v2 (with --dev)")
    parser.add_argument("--verbose", action="store_true", help="list misses (with --dev)")
    args = parser.parse_args(argv)
    if args.dev:
        return dev_main(not args.no_ablation, args.grid, args.verbose)
    started = time.perf_counter()
    questions, docs = load_tsv(args.tsv, args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        write_sources(docs, Path(tmp) / "sources")
        engine = Engine(Path(tmp) / "sources", Path(tmp) / "index")
        engine.open()
        bad = check_paragraphs(engine, docs)
        answerable = sum(any(q.labels) for q in questions)
        print(f"WikiQA test: {len(questions)} questions ({answerable} with a correct sentence), "
              f"{len(docs)} documents; documents not read back one sentence a paragraph: {bad}\n")
        print("| configuration | (a) MAP | (a) MRR | (a) P@1 | (a) abstain | (b) MAP | (b) MRR "
              "| (b) P@1 | (b) abstain |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, settings in _settings_rows(not args.no_ablation):
            engine.settings = settings
            a = run(engine, questions, docs, restricted=True)
            b = run(engine, questions, docs, restricted=False)
            print(f"| {name} | {a.map:.3f} | {a.mrr:.3f} | {a.p1:.3f} | {a.abstain:.3f} "
                  f"| {b.map:.3f} | {b.mrr:.3f} | {b.p1:.3f} | {b.abstain:.3f} |")
    print(f"\n(b) ranks the top {MAX_TOP} of the whole corpus: a correct sentence outside them "
          f"adds precision 0. Abstain: share of the questions without a correct sentence declined.")
    print(f"seconds: {time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
