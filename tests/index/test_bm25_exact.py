"""index.bm25 gives rank-bm25's BM25Okapi scores exactly, with ties broken by the lower row id."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.bm25 import Bm25Params, Postings, build_postings
from index.build import TokenizedDocument, build_index
from index.models import Document, Paragraph, Section
from index.store import load_index, save_index

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from topk import score, top_k, top_k_scores  # benchmarks/ is not a package: on sys.path above


def _corpus(n_rows: int, vocab: int, seed: int) -> list[list[str]]:
    """Zipf-ish token rows over a small vocabulary (many ties), some rows empty."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, vocab + 1)
    p /= p.sum()
    rows = []
    for _ in range(n_rows):
        n = int(rng.integers(0, 25)) if rng.random() > 0.02 else 0
        rows.append([f"w{i}" for i in rng.choice(vocab, size=n, p=p)])
    return rows


def _queries(n: int, vocab: int, seed: int) -> list[list[str]]:
    """Queries of 1–8 terms: common and rare terms, repeats, and unknown terms."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        terms = [f"w{i}" for i in rng.integers(0, vocab, size=int(rng.integers(1, 9)))]
        if rng.random() < 0.3:
            terms.append(terms[0])  # a repeated term counts twice, as in rank-bm25
        if rng.random() < 0.2:
            terms.insert(int(rng.integers(0, len(terms))), "never-seen")
        out.append(terms)
    return out


def _reference(rows: list[list[str]], model: BM25Okapi, query: list[str],
               k: int = 10) -> tuple[list[int], list[float]]:
    """rank-bm25's top k among rows sharing a query term, ties by lower row id."""
    full = model.get_scores(query)
    terms = set(query)
    cand = [i for i, row in enumerate(rows) if terms.intersection(row)]
    best = sorted(cand, key=lambda i: (-full[i], i))[:k]
    return best, [float(full[i]) for i in best]


def _assert_same(postings: Postings, rows: list[list[str]], model: BM25Okapi,
                 query: list[str], k: int = 10) -> None:
    """Our top k equals rank-bm25's: same ids, scores equal to 1e-9 relative; both paths agree."""
    ids, scores = top_k(*score(postings, query), k)
    want_ids, want_scores = _reference(rows, model, query, k)
    assert ids.tolist() == want_ids, query
    np.testing.assert_allclose(scores, want_scores, rtol=1e-9, atol=0)
    _assert_fast_same(postings, query, k, (ids, scores))


def _assert_fast_same(postings: Postings, query: list[str], k: int,
                      want: tuple[np.ndarray, np.ndarray]) -> None:
    """top_k_scores returns the exhaustive path's rows and scores bit for bit, in its dtypes."""
    ids, scores = top_k_scores(postings, query, k)
    assert ids.tolist() == want[0].tolist(), query
    assert ids.dtype == want[0].dtype and scores.dtype == want[1].dtype
    assert scores.tobytes() == want[1].tobytes(), query


@pytest.fixture(scope="module")
def corpus() -> list[list[str]]:
    return _corpus(3000, 1500, seed=1)


@pytest.mark.parametrize("params", [Bm25Params(), Bm25Params(k1=1.2, b=0.5, epsilon=0.1)])
def test_top10_equals_rank_bm25(corpus: list[list[str]], params: Bm25Params) -> None:
    model = BM25Okapi(corpus, k1=params.k1, b=params.b, epsilon=params.epsilon)
    postings = build_postings(corpus, params)
    for query in _queries(120, 1600, seed=2):
        _assert_same(postings, corpus, model, query)


def test_every_score_equals_rank_bm25(corpus: list[list[str]]) -> None:
    model = BM25Okapi(corpus)
    postings = build_postings(corpus, Bm25Params())
    for query in _queries(20, 1500, seed=3):
        rows, scores = score(postings, query)
        full = model.get_scores(query)
        np.testing.assert_allclose(scores, full[rows], rtol=1e-12, atol=0)
        others = np.setdiff1d(np.arange(len(corpus)), rows)
        assert not full[others].any()  # rows without a query term score 0 and are not results


def test_large_candidate_sets_match(corpus: list[list[str]]) -> None:
    """Queries of the most common terms (most rows are candidates) are exact too."""
    model = BM25Okapi(corpus)
    postings = build_postings(corpus, Bm25Params())
    for query in (["w0"], ["w0", "w1", "w2"], ["w1", "w0", "w0", "w3", "w4", "w5", "w6"]):
        _assert_same(postings, corpus, model, query)


@pytest.mark.parametrize("rows", [
    [["a", "b"]],
    [["a", "b", "a"], ["a", "c"]],  # "a" in every row: negative idf, floored to epsilon × mean
    [["a"], ["a"]],
    [["a", "b"], ["c"], []],
])
def test_tiny_corpora(rows: list[list[str]]) -> None:
    model = BM25Okapi(rows)
    postings = build_postings(rows, Bm25Params())
    for query in (["a"], ["b"], ["c"], ["a", "b"], ["a", "a", "c"], ["zzz"], ["zzz", "a"]):
        _assert_same(postings, rows, model, query)


def test_empty_corpus_and_empty_query() -> None:
    empty = build_postings([], Bm25Params())
    for query in (["a"], []):
        ids, scores = top_k(*score(empty, query), 10)
        assert len(ids) == len(scores) == 0
    postings = build_postings([["a"]], Bm25Params())
    assert len(top_k(*score(postings, []), 10)[0]) == 0


def _tokenized(rows: list[list[str]], per_doc: int) -> list[TokenizedDocument]:
    """Rows as tokenized documents (one paragraph each) for build_index."""
    docs = []
    for d, first in enumerate(range(0, len(rows), per_doc)):
        chunk = rows[first:first + per_doc]
        local: dict[str, int] = {}
        ids = [local.setdefault(t, len(local)) for row in chunk for t in row]
        sentences = tuple(f"Sentence {first + i}." for i in range(len(chunk)))
        paragraph = Paragraph(number=1, sentences=sentences)
        document = Document(source_id=f"doc-{d:03d}", title=f"Doc {d}",
                            sections=(Section(heading=None, paragraphs=(paragraph,)),),
                            sha256=f"{d:064x}")
        docs.append(TokenizedDocument(document=document, terms=tuple(local),
                                      ids=np.asarray(ids, dtype=np.int32),
                                      lengths=np.asarray([len(r) for r in chunk], dtype=np.int32),
                                      features=(0,) * len(chunk)))
    return docs


def test_built_saved_and_loaded_index_is_exact(corpus: list[list[str]], tmp_path: Path) -> None:
    """The whole path (documents → build_index → save → memory-mapped load) keeps scores exact."""
    save_index(build_index(_tokenized(corpus, 200)), tmp_path)
    index, _ = load_index(tmp_path)
    model = BM25Okapi(corpus)
    for query in _queries(40, 1600, seed=4):
        _assert_same(index.postings, corpus, model, query)


@pytest.fixture(params=[0, 8, 10**9], ids=["sparse", "default", "dense"])
def scan_ratio(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Force top_k_scores's sparse or dense candidate scan, or leave its own choice."""
    monkeypatch.setattr("topk.DENSE_SCAN_RATIO", request.param)
    return request.param


@pytest.mark.parametrize("params", [Bm25Params(), Bm25Params(k1=1.2, b=0.5, epsilon=0.1)])
def test_fast_top_k_is_bit_identical_to_rank_bm25(corpus: list[list[str]], params: Bm25Params,
                                                   scan_ratio: int) -> None:
    """top_k_scores's ids equal rank-bm25's and its scores are rank-bm25's floats exactly."""
    model = BM25Okapi(corpus, k1=params.k1, b=params.b, epsilon=params.epsilon)
    postings = build_postings(corpus, params)
    queries = [*_queries(120, 1600, seed=2), ["w0", "w1", "w0"], ["w2", "never-seen", "w0"]]
    for query in queries:
        for k in (1, 10, 37):
            ids, scores = top_k_scores(postings, query, k)
            want_ids, want_scores = _reference(corpus, model, query, k)
            assert ids.tolist() == want_ids, (query, k)
            assert scores.tolist() == want_scores, (query, k)  # == on floats: bit-identical
            _assert_fast_same(postings, query, k, top_k(*score(postings, query), k))


def test_fast_top_k_breaks_many_ties_by_row(scan_ratio: int) -> None:
    """Over a tiny vocabulary most scores tie; the lower row id must win each time."""
    rows = _corpus(2000, 12, seed=5)
    model = BM25Okapi(rows)
    postings = build_postings(rows, Bm25Params())
    for query in _queries(40, 14, seed=6):
        for k in (10, 100):
            _assert_same(postings, rows, model, query, k)


def test_fast_top_k_beyond_the_candidates(corpus: list[list[str]], scan_ratio: int) -> None:
    """A k larger than the rows sharing a term returns exactly those rows, best first."""
    model = BM25Okapi(corpus)
    postings = build_postings(corpus, Bm25Params())
    for query in (["w1400", "w1401"], ["w900", "w900", "w1499"], ["w3", "w700"], ["w0", "w1"]):
        _assert_same(postings, corpus, model, query, k=len(corpus) + 5)


@pytest.mark.parametrize("rows", [
    [["a", "b"]],
    [["a", "b", "a"], ["a", "c"]],  # negative idf floored to epsilon × mean: scores can be < 0
    [["a", "b", "a"], ["a", "c"], ["a"], ["a", "b"]],
    [["a"], ["a"]],
    [["a", "b"], ["c"], []],
])
def test_fast_top_k_tiny_corpora(rows: list[list[str]], scan_ratio: int) -> None:
    model = BM25Okapi(rows)
    postings = build_postings(rows, Bm25Params())
    for query in (["a"], ["a", "b"], ["b", "a", "a"], ["a", "a", "c"], ["zzz", "a", "c"]):
        for k in (1, 2, 10):
            _assert_same(postings, rows, model, query, k)


def test_fast_top_k_empty_corpus_query_and_k() -> None:
    empty = build_postings([], Bm25Params())
    postings = build_postings([["a", "b"], ["b"]], Bm25Params())
    for p, query, k in ((empty, ["a", "b"], 10), (empty, [], 10), (postings, [], 10),
                        (postings, ["zzz", "yyy"], 10), (postings, ["a", "b"], 0)):
        ids, scores = top_k_scores(p, query, k)
        assert len(ids) == len(scores) == 0
