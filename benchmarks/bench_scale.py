"""Scale benchmark: build, rebuild, load, query latency, memory, and exactness against rank-bm25.

Run: .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,100000,1000000] [--queries 300]
Each phase runs in a fresh process so load time and serving memory are measured cold and alone.
The headline is the answer path, `Engine.ask` (every signal, passages and citations), timed after
50 other questions warmed the process up, and a follow-up turn after each of them (`ask_turn`,
the thread path); the BM25 core (benchmarks/topk.py, exact top 10) and
rank-bm25's `get_scores` are timed beside it.
If tantivy-py is installed (`pip install -e .[bench]`), tantivy is timed on the same sentences and
queries (speed only; see benchmarks/tantivy_bench.py). The last table printed is the README's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from synthetic import Corpus  # noqa: E402
from tantivy_bench import available as tantivy_available  # noqa: E402
from tantivy_bench import phase_tantivy  # noqa: E402

RANK_BM25_FULL_LIMIT = 200_000  # above this, rank-bm25's get_scores is timed on a subset
RANK_BM25_SUBSET = 20
WARMUP_QUERIES = 50  # untimed questions each serving process answers first
# A turn after each timed question's answer, in a thread: elliptical, so it carries the
# question's words and leads with the passage shown (index/conversation).
FOLLOW_UPS = ("and why?", "who said that?", "how many?", "when was that?", "what about the others?")


def _worker(mode: str, *args: str) -> dict:
    """Run one phase in a fresh Python process; returns its JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, *args]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _percentiles(ms: list[float]) -> tuple[float, float]:
    """p50 and p99 of a list of milliseconds."""
    import numpy as np

    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def phase_build(src: str, idx: str) -> dict:
    """Full build on both cores, then one source changed, added and removed: when each is
    searchable (the engine publishes the new index, then saves it; the old one serves until the
    publish, as in the bot) and when each is saved."""
    from index.engine import Engine

    engine = Engine(Path(src), Path(idx))
    t = time.perf_counter()
    report = engine.rebuild()
    full = time.perf_counter() - t
    files = sorted(Path(src).rglob("*.md"))
    victim, added = files[len(files) // 2], files[len(files) // 3].with_name("added-note.md")
    steps = {
        "change": lambda: victim.write_text(victim.read_text(encoding="utf-8")
                                            + "\nA freshly added kotibar line.\n",
                                            encoding="utf-8"),
        "add": lambda: added.write_text("A new kotibar note.\n\nIt has two paragraphs.\n",
                                        encoding="utf-8"),
        "remove": lambda: added.unlink(),
    }
    seconds, saved = {}, {}
    for name, step in steps.items():
        step()
        t = time.perf_counter()
        update = engine.rebuild()
        saved[name] = time.perf_counter() - t
        # Searchable: the engine publishes the new index before it writes it to disk.
        seconds[name] = update.searchable_seconds if update.searchable_seconds is not None \
            else saved[name]
    engine.ask("kotibar")  # the patched index answers
    return {"build_s": full, "incremental_s": max(seconds.values()),
            **{f"{k}_s": v for k, v in seconds.items()},
            **{f"{k}_saved_s": v for k, v in saved.items()}, "sentences": report.sentences}


def phase_serve(src: str, idx: str, queries_path: str) -> dict:
    """Load cold; time the answer path (Engine.ask) and the BM25 core; peak memory serving."""
    import resource

    from topk import top_k_scores

    from index.conversation import next_turn
    from index.engine import Engine
    from index.store import load_index
    from index.tokens import tokenize

    t = time.perf_counter()
    engine = Engine(Path(src), Path(idx))
    report = engine.open()
    open_s = time.perf_counter() - t
    assert not report.rebuilt, "serve phase expected a fresh index"
    engine._check.wait()  # a big index's checksums are read in the background: not timed
    engine.warm()  # as `citebot run` does on a thread after opening (index/names' tables)
    t = time.perf_counter()
    load_index(Path(idx))
    load_s = time.perf_counter() - t
    postings = engine.snapshot.index.postings
    questions = json.loads(Path(queries_path).read_text(encoding="utf-8"))
    base_ms, ask_ms, tops = [], [], []
    # Untimed: a served process has answered questions before. A process's first questions pay
    # one-off costs (nltk imported for a new word, each kind of question's row factors: see
    # index/shortlist.py), so other questions than the timed ones warm it up.
    for q in ["warm up", *json.loads(Path(queries_path + ".warmup.json").read_text("utf-8"))]:
        engine.ask(q)
    for q in questions:  # the headline: what a user waits for, every signal, cited passages
        t = time.perf_counter()
        engine.ask(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
    # A follow-up in a thread: each question's answer shown, then a turn that leans on it.
    turn_ms = []
    for number, q in enumerate(questions):
        history = [next_turn([], q, engine.ask(q))]
        t = time.perf_counter()
        engine.ask_turn(FOLLOW_UPS[number % len(FOLLOW_UPS)], history)
        turn_ms.append((time.perf_counter() - t) * 1000)
    # Serving memory is what answering needs; the BM25 core below derives every posting's
    # weight (benchmark-only code, not part of serving), so the peak is read before it.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for q in questions:
        terms = tokenize(q)
        t = time.perf_counter()
        ids, best = top_k_scores(postings, terms, 10)
        base_ms.append((time.perf_counter() - t) * 1000)
        tops.append({"terms": terms, "ids": ids.tolist(), "scores": best.tolist()})
    Path(queries_path + ".tops.json").write_text(json.dumps(tops), encoding="utf-8")
    disk = sum(f.stat().st_size for f in Path(idx).glob("gen-*/*"))
    return {"open_s": open_s, "load_s": load_s, "base": _percentiles(base_ms),
            "ask": _percentiles(ask_ms), "turn": _percentiles(turn_ms), "rss_mb": rss_mb,
            "disk_mb": disk / 2**20}


def _oracle_top(model: object, inverted: dict[str, list[int]], terms: list[str],
                timed: bool) -> tuple[list[int], list[float], float]:
    """rank-bm25's top 10 among rows sharing a query term (ties by lower id), and its time."""
    import numpy as np

    cand = sorted({r for t in terms for r in inverted.get(t, ())})
    took = 0.0
    if timed:
        t = time.perf_counter()
        full = model.get_scores(terms)  # type: ignore[attr-defined]
        took = (time.perf_counter() - t) * 1000
        ref = full[cand] if cand else np.zeros(0)
    else:
        ref = np.asarray(model.get_batch_scores(terms, cand)) if cand else np.zeros(0)
    order = sorted(range(len(cand)), key=lambda i: (-ref[i], cand[i]))[:10]
    return [cand[i] for i in order], [float(ref[i]) for i in order], took


def phase_oracle(src: str, idx: str, queries_path: str, limit: str) -> dict:
    """Check every query's top 10 against rank-bm25 and time its naive get_scores."""
    from rank_bm25 import BM25Okapi

    from index.build import token_rows
    from index.tokenize_sources import load_tokenized

    rows = token_rows(load_tokenized(Path(src), Path(idx) / "cache")[0])
    t = time.perf_counter()
    model = BM25Okapi(rows)
    init_s = time.perf_counter() - t
    inverted: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for term in set(row):
            inverted.setdefault(term, []).append(i)
    tops = json.loads(Path(queries_path + ".tops.json").read_text(encoding="utf-8"))
    naive_ms, bad = [], 0
    for n, mine in enumerate(tops):
        ids, scores, took = _oracle_top(model, inverted, mine["terms"], n < int(limit))
        if took:
            naive_ms.append(took)
        same = ids == mine["ids"] and all(abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)
                                          for a, b in zip(scores, mine["scores"], strict=True))
        bad += not same
    return {"naive_p50": _percentiles(naive_ms)[0], "naive_n": len(naive_ms),
            "rank_init_s": init_s, "mismatches": bad, "checked": len(tops)}


def run_size(size: int, n_queries: int, workdir: Path) -> dict:
    """Every measurement for one corpus size."""
    src, idx = workdir / f"src-{size}", workdir / f"idx-{size}"
    corpus = Corpus(size)
    t = time.perf_counter()
    files = corpus.write(src)
    gen_s = time.perf_counter() - t
    queries = workdir / f"queries-{size}.json"
    queries.write_text(json.dumps(corpus.questions(n_queries)), encoding="utf-8")
    warmup = Path(str(queries) + ".warmup.json")  # drawn after the timed ones: none of them
    warmup.write_text(json.dumps(corpus.questions(WARMUP_QUERIES)), encoding="utf-8")
    print(f"[{size}] wrote {files} files in {gen_s:.1f}s", file=sys.stderr, flush=True)
    out = {"size": size, **_worker("build", str(src), str(idx))}
    print(f"[{size}] build {out}", file=sys.stderr, flush=True)
    out |= _worker("serve", str(src), str(idx), str(queries))
    print(f"[{size}] serve {out}", file=sys.stderr, flush=True)
    limit = n_queries if size <= RANK_BM25_FULL_LIMIT else RANK_BM25_SUBSET
    out |= _worker("oracle", str(src), str(idx), str(queries), str(limit))
    print(f"[{size}] oracle {out}", file=sys.stderr, flush=True)
    if tantivy_available():
        out |= _worker("tantivy", str(src), str(idx), str(queries))
        print(f"[{size}] tantivy {out}", file=sys.stderr, flush=True)
    return out


def table(results: list[dict]) -> str:
    """Every figure as a Markdown table."""
    head = ("| sentences | build s | change / add / remove 1 source: searchable (saved) s "
            "| Engine.open s "
            "| load_index s | Engine.ask p50 / p99 ms | follow-up p50 / p99 ms "
            "| BM25 core p50 / p99 ms "
            "| serving peak RSS MB | index MB | rank-bm25 get_scores p50 ms (n) "
            "| ask vs rank-bm25 | top-10 exact | tantivy p50 / p99 ms | tantivy build s "
            "| tantivy top-10 overlap |")
    lines = [head, "|" + "---|" * 16]
    for r in results:
        lines.append(
            f"| {r['sentences']:,} | {r['build_s']:.1f} "
            f"| {r['change_s']:.2f} / {r['add_s']:.2f} / {r['remove_s']:.2f} "
            f"({r['change_saved_s']:.2f} / {r['add_saved_s']:.2f} / {r['remove_saved_s']:.2f}) "
            f"| {r['open_s']:.3f} | {r['load_s']:.3f} "
            f"| {r['ask'][0]:.3f} / {r['ask'][1]:.2f} | {r['turn'][0]:.3f} / {r['turn'][1]:.2f} "
            f"| {r['base'][0]:.3f} / {r['base'][1]:.2f} "
            f"| {r['rss_mb']:.0f} | {r['disk_mb']:.0f} | {r['naive_p50']:.1f} ({r['naive_n']}) "
            f"| {r['naive_p50'] / max(r['ask'][0], 1e-9):,.0f}× "
            f"| {r['checked'] - r['mismatches']}/{r['checked']} | {_tantivy_cells(r)} |")
    return "\n".join(lines)


def _tantivy_cells(r: dict) -> str:
    """tantivy's p50 / p99, build seconds and top-10 overlap cells, or dashes if not run."""
    if "tantivy" not in r:
        return "— | — | —"
    return (f"{r['tantivy'][0]:.3f} / {r['tantivy'][1]:.2f} | {r['tantivy_build_s']:.2f} "
            f"| {r['tantivy_overlap']:.0%}")


def _ms(x: float) -> str:
    """A millisecond figure with sensible precision."""
    return f"{x:.3f}" if x < 1 else f"{x:.1f}" if x < 100 else f"{x:,.0f}"


def readme_table(results: list[dict]) -> str:
    """The README's table: the answer path first, beside rank-bm25 and tantivy in the same run."""
    lines = ["| sentences | Engine.ask p50 / p99 ms | follow-up p50 / p99 ms "
             "| rank-bm25 get_scores p50 ms "
             "| ask vs rank-bm25 | tantivy p50 / p99 ms | BM25 core p50 / p99 ms | build s "
             "| 1-source update searchable s | load s | peak RSS MB | index MB | top-10 exact |",
             "|" + "---|" * 13]
    for r in results:
        tantivy = (f"{_ms(r['tantivy'][0])} / {_ms(r['tantivy'][1])}" if "tantivy" in r
                   else "not installed")
        lines.append(
            f"| {r['sentences']:,} | {_ms(r['ask'][0])} / {_ms(r['ask'][1])} "
            f"| {_ms(r['turn'][0])} / {_ms(r['turn'][1])} | {_ms(r['naive_p50'])} "
            f"| {r['naive_p50'] / max(r['ask'][0], 1e-9):,.0f}× "
            f"| {tantivy} | {_ms(r['base'][0])} / {_ms(r['base'][1])} | {r['build_s']:.1f} "
            f"| {r['incremental_s']:.2f} | {r['open_s']:.2f} | {r['rss_mb']:.0f} "
            f"| {r['disk_mb']:.0f} | {r['checked'] - r['mismatches']}/{r['checked']} |")
    return "\n".join(lines)


def main() -> None:
    """Parse arguments; run workers or the whole benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, *rest = args.worker
        phases = {"build": phase_build, "serve": phase_serve, "oracle": phase_oracle,
                  "tantivy": phase_tantivy}
        print(json.dumps(phases[mode](*rest)))
        return
    if not tantivy_available():
        print("note: tantivy is not installed (pip install -e .[bench]); skipping its columns",
              file=sys.stderr, flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="citebot-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(run_size(size, args.queries, Path(tmp)))
    print(table(results))
    print()
    print(readme_table(results))


if __name__ == "__main__":
    main()
