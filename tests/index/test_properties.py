"""Properties of the parsing and query paths, over any input hypothesis can think of."""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index.engine import Engine
from index.errors import UsageError
from index.serialize import answer_to_json
from index.sources import READERS, SourceFile, load_folder, read_source

from ..conftest import SOURCES

# Bytes shaped like the files the parser meets: markup pieces, blank runs, long runs, any bytes.
_PIECES = st.sampled_from([b"---\n", b"# ", b"## Heading ##\n", b"#", b" ", b"\n", b"\n\n",
                           b"\r\n", b"title: x\n", b"a: &a [1]\nb: *a\n", b"\xef\xbb\xbf",
                           b"\xff\xfe", b"\x00", b"\xe2\x80", b"Word. ", b"U.S. ", b"\t", b"\\"])
_BYTES = st.one_of(st.binary(max_size=2000), st.lists(_PIECES, max_size=200).map(b"".join))
_SUFFIXES = st.sampled_from(sorted(READERS))
_FIXTURE_PER_TEST = [HealthCheck.function_scoped_fixture]  # examples use their own sub-folders


def _read(path: Path) -> int:
    """Sentences read from a file, or -1 when it is refused (with a reason)."""
    try:
        return read_source(SourceFile(source_id=path.stem, path=path, sha256="0" * 64,
                                      size=path.stat().st_size)
                           ).sentence_count
    except ValueError as exc:
        assert str(exc) and "\n" not in str(exc)  # one line, for the warning
        return -1


@settings(max_examples=80, deadline=None, suppress_health_check=_FIXTURE_PER_TEST)
@given(content=_BYTES, suffix=_SUFFIXES)
def test_any_bytes_are_indexed_or_skipped_with_a_warning(tmp_path: Path, content: bytes,
                                                         suffix: str, caplog) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one folder an example
    (folder / f"doc{suffix}").write_bytes(content)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        documents, skipped = load_folder(folder)
    assert len(documents) + len(skipped) == 1
    if skipped:
        assert skipped[0].reason and "doc" in caplog.text
    else:
        assert documents[0].sentence_count > 0


# A long run of one thing between two others: where a backtracking pattern blows up.
_RUNS = st.sampled_from([b" ", b"\n", b"\t", b"#", b"\r\n", b"-", b"a", b" \n", b"Word. "])
_JOINED = st.lists(_PIECES, max_size=4).map(b"".join)


@settings(max_examples=25, deadline=None, suppress_health_check=_FIXTURE_PER_TEST)
@example(head=b"# Title", run=b" ", tail=b"end", suffix=".md")  # was cubic
@example(head=b"---\n", run=b"\n", tail=b"Word. " * 2000, suffix=".md")  # was quadratic
@given(head=_JOINED, run=st.one_of(_RUNS, _JOINED.filter(bool)), tail=_JOINED,
       suffix=_SUFFIXES)
def test_parsing_time_grows_linearly(tmp_path: Path, head: bytes, run: bytes, tail: bytes,
                                     suffix: str) -> None:
    """Ten times the input takes about ten times as long: nothing quadratic (or worse)."""
    timings = []
    for repeat in (400, 4000):
        path = tmp_path / f"doc{repeat}{suffix}"
        path.write_bytes(head + run * repeat + tail)
        started = time.perf_counter()
        _read(path)
        timings.append(time.perf_counter() - started)
    # Linear: ~10×; quadratic: ~100×. The slack absorbs a noisy, shared machine.
    assert timings[1] <= 40 * timings[0] + 0.5, (head, run, tail, timings)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = Engine(SOURCES, tmp_path_factory.mktemp("ix"))
    engine.open()
    return engine


def _strict(text: str) -> object:
    """json.loads that refuses NaN and Infinity (which JSON does not have)."""
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


_QUESTION = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(["Russia", "Kremlin", "Zaporizhzhia", "nuclear", "what", "does",
                              "want", "$5bn", "50%", "U.S.", "not", "-", "'", "?", " ",
                              "United Nations", "🙂", "Z̴̢͉a̵͙̓l̸̛̺g̶͔̈o̷̮͝", "the"]),
             max_size=12).map(" ".join))


@settings(max_examples=120, deadline=None)
@given(question=_QUESTION, top=st.integers(1, 25), context=st.integers(0, 5),
       source=st.sampled_from([None, "peace-talks-sticking-points", "nope"]))
def test_any_question_gets_an_answer_or_a_clean_error(bundled: Engine, question: str, top: int,
                                                      context: int, source: str | None) -> None:
    try:
        answer = bundled.ask(question, top=top, source=source, context=context)
    except UsageError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert len(answer.passages) <= top
    payload = answer_to_json(answer)
    assert _strict(json.dumps(payload, ensure_ascii=False)) == payload
