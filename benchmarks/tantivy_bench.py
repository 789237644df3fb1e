"""tantivy (Rust, via tantivy-py) on the same sentences and queries, for a speed comparison only.

Like for like: tantivy indexes *our* terms (the sentence's pre-tokenised, stemmed terms joined by
spaces) with its "whitespace" tokenizer and term frequencies without positions, one document per
sentence, in a RAM index built with two writer threads. A query is a boolean OR of term queries over
the same terms we score; the timed part is building that query and a top-10 search without a hit
count. tantivy's BM25 differs from rank-bm25's BM25Okapi (idf without the epsilon floor, quantised
field norms), so its ranking is not expected to be identical: only the mean top-10 overlap with ours
is reported, as a sanity check that both indexes hold the same text.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

WRITER_HEAP = 512 * 2**20
WRITER_THREADS = 2


def available() -> bool:
    """Whether tantivy-py can be imported in this interpreter."""
    return importlib.util.find_spec("tantivy") is not None


def _build(rows: list[list[str]]) -> tuple[object, float, int]:
    """A RAM tantivy index over the rows; returns (index, seconds, segment count)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True)
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    schema = builder.build()
    t = time.perf_counter()
    index = tantivy.Index(schema)
    writer = index.writer(WRITER_HEAP, WRITER_THREADS)
    for i, row in enumerate(rows):
        writer.add_document(tantivy.Document(id=i, text=" ".join(row)))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build_s = time.perf_counter() - t
    return index, build_s, index.searcher().num_segments


def _query(index: object, terms: list[str]) -> object:
    """An OR of term queries over the terms (what BM25 sums over)."""
    import tantivy

    schema = index.schema  # type: ignore[attr-defined]
    clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "text", t)) for t in terms]
    return tantivy.Query.boolean_query(clauses)


def _search(index: object, tops: list[dict]) -> tuple[list[float], list[list[object]]]:
    """Time a top-10 search per query; returns milliseconds and each query's hit addresses."""
    searcher = index.searcher()  # type: ignore[attr-defined]
    ms, hits = [], []
    for mine in tops:
        t = time.perf_counter()
        found = searcher.search(_query(index, mine["terms"]), 10, count=False).hits
        ms.append((time.perf_counter() - t) * 1000)
        hits.append([addr for _, addr in found])
    return ms, hits


def _overlap(index: object, tops: list[dict], hits: list[list[object]]) -> float:
    """Mean share of our top-10 ids that tantivy's top 10 also holds."""
    searcher = index.searcher()  # type: ignore[attr-defined]
    shares = []
    for mine, addrs in zip(tops, hits, strict=True):
        ids = {searcher.doc(a)["id"][0] for a in addrs}
        if mine["ids"]:
            shares.append(len(ids & set(mine["ids"])) / len(mine["ids"]))
    return sum(shares) / max(len(shares), 1)


def phase_tantivy(src: str, idx: str, queries_path: str) -> dict:
    """Build tantivy over our tokenised sentences and time the serve phase's queries."""
    import numpy as np

    from index.build import token_rows
    from index.tokenize_sources import load_tokenized

    rows = token_rows(load_tokenized(Path(src), Path(idx) / "cache")[0])
    index, build_s, segments = _build(rows)
    del rows
    tops = json.loads(Path(queries_path + ".tops.json").read_text(encoding="utf-8"))
    ms, hits = _search(index, tops)  # no warm-up: our serve phase times its first query too
    p50, p99 = (float(np.percentile(ms, q)) for q in (50, 99))
    return {"tantivy": (p50, p99), "tantivy_build_s": build_s,
            "tantivy_segments": segments, "tantivy_overlap": _overlap(index, tops, hits)}
