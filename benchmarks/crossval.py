"""Leave-one-set-out cross-validation of every ranking and abstention signal.

For one signal and a list of its values, each question set in turn is held out: the value is
chosen on all the other sets (the most hit@1 + hit@3 + right declines − wrong declines, in
questions; a tie goes to the smaller value, so "off" wins a tie), then scored on the held-out set.
The sum over held-out sets is what the signal adds on data it was not chosen on.

    .venv/bin/python benchmarks/crossval.py                      # every signal: off vs default
    .venv/bin/python benchmarks/crossval.py --grid coord_weight=0,0.25,0.5,0.75
    .venv/bin/python benchmarks/crossval.py --only coord_weight position_weight -v

Sets (multi_dev as its two fixed halves): seed, own_dev, conv_meant, multi_dev_A, multi_dev_B,
article_heldout, multi_heldout, enc_dev, blind_all; with --chat also conv_chat, the follow-ups of
conversations_dev asked in their conversations (`citebot chat`'s path), and multi_chat, those of
our multi-report conversation files (benchmarks/data/conversations_multi_*.jsonl, `fresh` among
them: written by someone who never saw the code) over the article and the multi_dev reports.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quality import SHARED, QuestionSet, corpora, counts_of, question_sets

from index.engine import Engine
from index.evaluate import ask_json, evaluate
from index.evaluate_conversations import evaluate_conversations, load_conversations
from index.settings import SearchSettings

# Not signals: the abstention threshold and the position lead's shape (position_weight's part).
_NOT_SIGNALS = ("min_coverage", "position_decay")
NEWS = ("seed", "own_dev", "conv_meant", "multi_dev_A", "multi_dev_B", "article_heldout",
        "multi_heldout")


@dataclass(frozen=True)
class Counts:
    """One configuration's result on one set, in questions."""

    hit1: int
    hit3: int
    right: int
    wrong: int

    @property
    def objective(self) -> int:
        """What a value is chosen by: hits at 1 and 3, right declines, minus wrong declines."""
        return self.hit1 + self.hit3 + self.right - self.wrong


def all_sets() -> list[QuestionSet]:
    """Every public set, multi_dev as its two fixed halves."""
    halves = [s for fold in "AB" for s in question_sets(fold) if s.name == f"multi_dev_{fold}"]
    return [s for s in question_sets(None) if s.name != "multi_dev"] + halves


def engines_for(sets: Sequence[QuestionSet], tmp: Path) -> dict[str, Engine]:
    """One engine per source folder the sets are asked over."""
    folders = corpora(tmp)
    return {key: Engine(folders[key], tmp / f"i-{key}") for key in {s.sources for s in sets}}


def measure(configs: Sequence[SearchSettings], sets: Sequence[QuestionSet],
            engines: dict[str, Engine]) -> list[dict[str, Counts]]:
    """Each configuration's counts on each set."""
    out: list[dict[str, Counts]] = [{} for _ in configs]
    for qs in sets:
        for i, settings in enumerate(configs):
            report = evaluate(ask_json(engines[qs.sources], settings, 3, qs.context,
                                       qs.restrict), qs.questions)
            out[i][qs.name] = Counts(*counts_of(report))
    return out


MULTI_CHATS = sorted((Path(__file__).resolve().parent / "data").glob(
    "conversations_multi_*.jsonl"))


def chat_counts(folder: Path, index_dir: Path, settings: SearchSettings,
                files: Sequence[Path] = (SHARED / "conversations_dev.jsonl",)) -> Counts:
    """The follow-ups of conversation files asked in their conversations, as counts."""
    engine = Engine(folder, index_dir, settings=settings)
    outcomes = [o for f in files for o in evaluate_conversations(
        load_conversations(f), engine.ask_turn, engine.ask)]
    rows = [(o.in_conversation, o.turn.expect) for o in outcomes if o.turn.kind != "first"]
    asked = [(rank, answered) for (rank, answered), expect in rows if expect is not None]
    return Counts(hit1=sum(a and r == 1 for r, a in asked),
                  hit3=sum(a and r is not None and r <= 3 for r, a in asked),
                  right=sum(not a for (_, a), expect in rows if expect is None),
                  wrong=sum(not a for _, a in asked))


def leave_one_out(values: Sequence[float], results: Sequence[dict[str, Counts]],
                  sets: Sequence[str]) -> tuple[dict[str, float], dict[str, Counts]]:
    """Per held-out set: the value chosen on the other sets, and its counts on the held-out one."""
    chosen: dict[str, float] = {}
    scored: dict[str, Counts] = {}
    order = sorted(range(len(values)), key=lambda i: values[i])  # ties: the smaller value
    for held in sets:
        best = max(order, key=lambda i: sum(results[i][s].objective for s in sets if s != held))
        chosen[held], scored[held] = values[best], results[best][held]
    return chosen, scored


def total(counts: Sequence[Counts]) -> Counts:
    """Counts summed over sets."""
    return Counts(*(sum(getattr(c, f.name) for c in counts) for f in fields(Counts)))


def diff(a: Counts, b: Counts) -> str:
    """a − b per count, as table cells (wrong declines as declines saved)."""
    return (f"{a.hit1 - b.hit1:+d} | {a.hit3 - b.hit3:+d} | {a.right - b.right:+d} | "
            f"{b.wrong - a.wrong:+d} | {a.objective - b.objective:+d}")


def grids(specs: Sequence[str], only: Sequence[str]) -> list[tuple[str, list[float]]]:
    """The signals and values to cross-validate: given ones, or every signal off vs default."""
    if specs:
        parts = (spec.partition("=") for spec in specs)
        return [(n, sorted(float(v) for v in vs.split(","))) for n, _, vs in parts]
    base = SearchSettings()
    return [(f.name, sorted({0.0, getattr(base, f.name)})) for f in fields(base)
            if f.name not in _NOT_SIGNALS and getattr(base, f.name)
            and (not only or f.name in only)]


def with_chats(configs: Sequence[SearchSettings], results: list[dict[str, Counts]],
               folders: dict[str, Path], tmp: Path) -> list[dict[str, Counts]]:
    """The results with each configuration's follow-ups in conversation added (two sets)."""
    for config, result in zip(configs, results, strict=True):
        result["conv_chat"] = chat_counts(folders["seed"], tmp / "i-seed", config)
        result["multi_chat"] = chat_counts(folders["multi"], tmp / "i-multi", config, MULTI_CHATS)
    return results


def subsets(specs: Sequence[str], sets: Sequence[QuestionSet], engines: dict[str, Engine],
            names: Sequence[str], chats: tuple[dict[str, Path], Path] | None = None) -> None:
    """Leave-one-set-out choice among every on/off combination of the given signals."""
    parts = [(n, float(v)) for n, _, v in (spec.partition("=") for spec in specs)]
    combos = list(itertools.product((0.0, 1.0), repeat=len(parts)))
    configs = [replace(SearchSettings(), **{n: v * on for (n, v), on in zip(parts, c, strict=True)})
               for c in combos]
    results = measure(configs, sets, engines)
    if chats is not None:
        results = with_chats(configs, results, *chats)
    # Ties go to the combination with fewer signals on (then the earlier one).
    order = sorted(range(len(combos)), key=lambda i: sum(combos[i]))
    for held in names:
        best = max(order, key=lambda i: sum(results[i][s].objective for s in names if s != held))
        on = [n for (n, _), c in zip(parts, combos[best], strict=True) if c] or ["none"]
        print(f"| {held} | {' '.join(on)} | {diff(results[best][held], results[0][held])} |")
    whole = max(order, key=lambda i: sum(results[i][s].objective for s in names))
    print("chosen on every set:", [n for (n, _), c in zip(parts, combos[whole], strict=True) if c])


def print_absolute(values: Sequence[float], results: Sequence[dict[str, Counts]],
                   names: Sequence[str]) -> None:
    """Each value's counts on each set, in questions (hit@1 / hit@3 / right / wrong declines)."""
    for s in names:
        cells = " | ".join(f"{r[s].hit1}/{r[s].hit3}/{r[s].right}/{r[s].wrong}" for r in results)
        print(f"|   {s} | {cells} |  ({', '.join(f'{v:g}' for v in values)})")


def main(argv: Sequence[str] | None = None) -> int:
    """Print, per signal, what its out-of-fold choice adds over switching it off."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", nargs="*", default=[], metavar="NAME=V1,V2")
    parser.add_argument("--only", nargs="*", default=[], metavar="SIGNAL")
    parser.add_argument("--news", action="store_true", help="only the news sets")
    parser.add_argument("--subsets", nargs="*", default=[], metavar="NAME=V",
                        help="choose among every on/off combination of these signals")
    parser.add_argument("--chat", action="store_true",
                        help="also the conversation files' follow-ups, in chat")
    parser.add_argument("-v", "--verbose", action="store_true", help="per held-out set")
    parser.add_argument("--absolute", action="store_true",
                        help="each value's own counts per set (hit@1 / hit@3 / right / wrong)")
    args = parser.parse_args(argv)
    sets = [s for s in all_sets() if not args.news or s.name in NEWS]
    names = [s.name for s in sets] + (["conv_chat", "multi_chat"] if args.chat else [])
    print(f"held out in turn: {', '.join(names)}")
    print("| signal | values | chosen (per held-out set) | out-of-fold vs off: hit@1 | hit@3 | "
          "right declines | wrong declines saved | objective |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        engines = engines_for(sets, Path(tmp))
        folders = corpora(Path(tmp) / "chat") if args.chat else {}
        chats = (folders, Path(tmp)) if args.chat else None
        if args.subsets:
            subsets(args.subsets, sets, engines, names, chats)
            return 0
        for name, values in grids(args.grid, args.only):
            configs = [replace(SearchSettings(), **{name: v}) for v in values]
            results = measure(configs, sets, engines)
            if chats is not None:
                results = with_chats(configs, results, *chats)
            chosen, scored = leave_one_out(values, results, names)
            off = results[values.index(0.0)] if 0.0 in values else results[0]
            picks = ",".join(f"{chosen[s]:g}" for s in names)
            print(f"| {name} | {','.join(f'{v:g}' for v in values)} | {picks} | "
                  f"{diff(total(list(scored.values())), total(list(off.values())))} |",
                  flush=True)
            if args.absolute:
                print_absolute(values, results, names)
            if args.verbose:
                for s in names:
                    print(f"|   {s} | | {chosen[s]:g} | {diff(scored[s], off[s])} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
