"""Answer quality on every public question set, scored as acceptance scores it, beside plain BM25.

Every answer is read through `citebot ask --json --batch`'s code path (`Engine.ask` →
`answer_to_json`, top 3, ±1 sentence); a declined answerable question is a miss at every rank.

    .venv/bin/python benchmarks/quality.py                 # all sets, citebot vs plain BM25
    .venv/bin/python benchmarks/quality.py --fold A        # multi_dev half A only (tuning half)
    .venv/bin/python benchmarks/quality.py --ablate        # each signal switched off, per fold
    .venv/bin/python benchmarks/quality.py --sets multi_dev -v   # list the misses
    .venv/bin/python benchmarks/quality.py --blind         # only the untouched blind sets

Folds: multi_dev's questions are split in two by a fixed hash of the question text (A: even,
B: odd), fixed before any tuning; a figure is out-of-fold when its signal was set on the other half.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.engine import Engine
from index.evaluate import (
    EvalQuestion,
    EvalReport,
    ask_json,
    evaluate,
    load_questions,
    parse_question,
)
from index.settings import PLAIN_BM25, SearchSettings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
DATA = ROOT / "tests" / "index" / "data"
MULTI = SHARED / "multi_dev"
BLIND = ROOT / "benchmarks" / "data" / "blind"
BLIND3 = ROOT / "benchmarks" / "data" / "blind3"
BLIND4 = ROOT / "benchmarks" / "data" / "blind4"
BLIND5 = ROOT / "benchmarks" / "data" / "blind5"
BLIND6 = ROOT / "benchmarks" / "data" / "blind6"
BLIND7 = ROOT / "benchmarks" / "data" / "blind7"
BLIND8 = ROOT / "benchmarks" / "data" / "blind8"
BLIND10 = ROOT / "benchmarks" / "data" / "blind10"
BLIND11 = ROOT / "benchmarks" / "data" / "blind11"


def fold_of(question: str) -> str:
    """The fixed fold of a question: A or B by the parity of its text's SHA-1."""
    return "AB"[hashlib.sha1(question.encode("utf-8")).digest()[0] % 2]


def conversation_questions(path: Path) -> list[EvalQuestion]:
    """The `meant` turns of the conversation set (and each first turn), as standalone questions."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            for turn in json.loads(line)["turns"]:
                if "meant" in turn:
                    out.append(parse_question({"question": turn["meant"],
                                               "expect": turn["expect"]}))
    return out


@dataclass(frozen=True)
class QuestionSet:
    """A named question set, the sources it is asked over, and how passages are scored."""

    name: str
    questions: tuple[EvalQuestion, ...]
    sources: str  # a key of corpora()
    context: int = 1
    restrict: bool = True


def corpora(tmp: Path) -> dict[str, Path]:
    """The source folders: the bundled article, article + multi_dev reports (Markdown, HTML)."""
    multi = tmp / "multi"
    shutil.copytree(ROOT / "sources", multi)
    for md in sorted((MULTI / "sources").glob("*.md")):
        shutil.copy(md, multi / md.name)
    # The blind3 set's corpus: the same, and two reports restating its facts (written blind).
    multi3 = tmp / "multi3"
    shutil.copytree(multi, multi3)
    for md in sorted((BLIND3 / "sources").glob("*.md")):
        shutil.copy(md, multi3 / md.name)
    return {"seed": ROOT / "sources", "multi": multi, "multi3": multi3,
            "enc_dev": DATA / "encyclopedia_dev", "enc_blind": DATA / "encyclopedia_blind"}


def question_sets(fold: str | None) -> list[QuestionSet]:
    """Every public set; multi_dev limited to one fold when asked."""
    multi = [q for q in load_questions(MULTI / "questions.jsonl")
             if fold is None or fold_of(q.question) == fold]
    return [
        QuestionSet("seed", tuple(load_questions(SHARED / "seed_dev.jsonl")), "seed"),
        QuestionSet("own_dev", tuple(load_questions(DATA / "own_dev.jsonl")), "seed"),
        QuestionSet("conv_meant", tuple(conversation_questions(
            SHARED / "conversations_dev.jsonl")), "seed"),
        QuestionSet(f"multi_dev{'_' + fold if fold else ''}", tuple(multi), "multi"),
        # Written before the abstention work, blind to the engine: never tune on these.
        QuestionSet("article_heldout", tuple(load_questions(
            DATA / "article_own_heldout.jsonl")), "seed"),
        QuestionSet("multi_heldout", tuple(load_questions(
            DATA / "multi_own_heldout.jsonl")), "multi"),
        QuestionSet("enc_dev", tuple(load_questions(DATA / "encyclopedia_dev.jsonl")),
                    "enc_dev", context=0),
        QuestionSet("blind_all", tuple(load_questions(DATA / "encyclopedia_blind.jsonl")),
                    "enc_blind", context=0, restrict=False),
    ]


# The sets written blind as an article file and a 13-report file, each first scored to judge one
# pre-registered change (its README's "Use so far"): blind12 (session 18, standalone counts),
# blind13 (two changes), blind14 (`reason_cue`), blind15 (`expected_words`), blind16 (solid
# compounds), blind17 ("thing" as framing, dropped), blind18 (the fifth synonyms pass), blind19
# (a floor on meaning, dropped), blind20 (a passage found by meaning first).
PAIRED = ("blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19",
          "blind20")


def article_and_multi(name: str) -> list[QuestionSet]:
    """A paired blind set's two question sets: over the article, and over the 13 reports."""
    folder = ROOT / "benchmarks" / "data" / name
    return [QuestionSet(f"{name}_article", tuple(load_questions(folder / "article.jsonl")),
                        "seed"),
            QuestionSet(f"{name}_multi", tuple(load_questions(folder / "multi.jsonl")),
                        "multi3")]


def blind_sets() -> list[QuestionSet]:
    """The sets written blind to the code: scored once per change, never tuned on.

    They are not in question_sets(), so nothing that chooses a value (crossval, --grid) sees them.
    """
    return [QuestionSet("blind_article", tuple(load_questions(BLIND / "article.jsonl")), "seed"),
            QuestionSet("blind_multi", tuple(load_questions(BLIND / "multi.jsonl")), "multi"),
            # Written blind to the code a round later (docs/dev-notes/NOTES-qwrite.md).
            QuestionSet("fresh_multi", tuple(load_questions(
                ROOT / "benchmarks" / "data" / "multi_fresh_questions.jsonl")), "multi"),
            # Two more reports restating the facts, and questions on all 13 (blind3/README.md).
            QuestionSet("blind3_multi", tuple(load_questions(BLIND3 / "questions.jsonl")),
                        "multi3"),
            # Written blind a round later still, over the same 13 (blind4/README.md).
            QuestionSet("blind4_multi", tuple(load_questions(BLIND4 / "questions.jsonl")),
                        "multi3"),
            # And again a round later (blind5/README.md).
            QuestionSet("blind5_multi", tuple(load_questions(BLIND5 / "questions.jsonl")),
                        "multi3"),
            # The bundled article alone, written blind the same round (blind6/README.md).
            QuestionSet("blind6_article", tuple(load_questions(BLIND6 / "questions.jsonl")),
                        "seed"),
            # Written blind a round later (blind7/README.md, blind8/README.md).
            QuestionSet("blind7_multi", tuple(load_questions(BLIND7 / "questions.jsonl")),
                        "multi3"),
            QuestionSet("blind8_article", tuple(load_questions(BLIND8 / "questions.jsonl")),
                        "seed"),
            # Written blind in session 17, to judge a pre-registered change (blind10/README.md,
            # blind11/README.md).
            QuestionSet("blind10_multi", tuple(load_questions(BLIND10 / "questions.jsonl")),
                        "multi3"),
            QuestionSet("blind11_article", tuple(load_questions(BLIND11 / "questions.jsonl")),
                        "seed"),
            *(qs for name in PAIRED for qs in article_and_multi(name))]


def row(report: EvalReport) -> str:
    """hit@1 | hit@3 | declined off-topic | wrongly declined, as table cells."""
    return (f"{report.hit1:.3f} | {report.hit3:.3f} | "
            f"{report.abstained_unanswerable}/{report.unanswerable} | "
            f"{report.wrongful_abstentions}/{len(report.answerable())}")


def configurations(ablate: bool) -> list[tuple[str, SearchSettings]]:
    """citebot, plain BM25, and (with ablate) citebot with each signal off."""
    rows = [("citebot", SearchSettings()), ("plain BM25", PLAIN_BM25)]
    if ablate:
        base = SearchSettings()
        rows += [(f"-{f.name}", base.without(f.name)) for f in fields(base)
                 if f.name not in ("min_coverage", "position_decay") and getattr(base, f.name)]
    return rows


def grid(specs: Sequence[str]) -> list[tuple[str, SearchSettings]]:
    """Every combination of `name=v1,v2` values over the defaults (names: SearchSettings fields)."""
    parts = (spec.partition("=") for spec in specs)
    axes = [[(n, float(v)) for v in vs.split(",")] for n, _, vs in parts]
    return [(" ".join(f"{n}={v:g}" for n, v in combo), replace(SearchSettings(), **dict(combo)))
            for combo in itertools.product(*axes)]


def main(argv: Sequence[str] | None = None) -> int:
    """Print one table row per set and configuration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fold", choices=("A", "B"), default=None)
    parser.add_argument("--sets", nargs="*", default=None, help="only these sets (name prefix)")
    parser.add_argument("--ablate", action="store_true")
    parser.add_argument("--grid", nargs="*", default=[], metavar="NAME=V1,V2",
                        help="evaluate these settings' values instead of the defaults")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses")
    parser.add_argument("--held-out", nargs="*", default=None, metavar="SET",
                        help="with --ablate: per configuration, questions gained over these sets")
    parser.add_argument("--blind", action="store_true",
                        help="only the blind sets (benchmarks/data/blind): score, never tune")
    args = parser.parse_args(argv)
    sets = blind_sets() if args.blind else question_sets(args.fold)
    if args.sets:
        sets = [s for s in sets if any(s.name.startswith(p) for p in args.sets)]
    print("| set | configuration | hit@1 | hit@3 | declined off-topic | wrongly declined |")
    print("|---|---|---|---|---|---|")
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = corpora(Path(tmp))
        engines: dict[str, Engine] = {}
        for qs in sets:
            if qs.sources not in engines:
                engines[qs.sources] = Engine(folders[qs.sources], Path(tmp) / f"i-{qs.sources}")
            engine = engines[qs.sources]
            for name, settings in (grid(args.grid) if args.grid else configurations(args.ablate)):
                report = evaluate(ask_json(engine, settings, 3, qs.context, qs.restrict),
                                  qs.questions)
                print(f"| {qs.name} | {name} | {row(report)} |", flush=True)
                if args.held_out is not None and qs.name in args.held_out:
                    counts = totals.setdefault(name, [0, 0, 0, 0])
                    for i, value in enumerate(counts_of(report)):
                        counts[i] += value
                if args.verbose and name == "citebot":
                    print("\n".join("    " + line for line in report.lines()[6:]))
    if totals:
        print_gains(totals, args.held_out or [])
    return 0


def counts_of(report: EvalReport) -> tuple[int, int, int, int]:
    """hit@1, hit@3, right declines, wrong declines, in questions."""
    rows = report.answerable()
    return (sum(o.first_hit == 1 for o in rows),
            sum(o.first_hit is not None and o.first_hit <= 3 for o in rows),
            report.abstained_unanswerable, report.wrongful_abstentions)


def print_gains(totals: dict[str, list[int]], sets: Sequence[str]) -> None:
    """What each signal adds on the held-out sets: citebot's counts minus those without it."""
    base = totals["citebot"]
    print(f"\nheld-out sets: {', '.join(sets)}; citebot: hit@1 {base[0]}, hit@3 {base[1]}, "
          f"declined right {base[2]}, declined wrongly {base[3]} (questions)")
    print("| signal | hit@1 gained | hit@3 gained | right declines gained | wrong declines saved |")
    print("|---|---|---|---|---|")
    for name, counts in totals.items():
        if name.startswith("-") or name == "plain BM25":
            print(f"| {name.lstrip('-')} | {base[0] - counts[0]:+d} | {base[1] - counts[1]:+d} | "
                  f"{base[2] - counts[2]:+d} | {counts[3] - base[3]:+d} |")


if __name__ == "__main__":
    raise SystemExit(main())
