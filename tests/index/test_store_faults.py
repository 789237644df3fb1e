"""The saved index under faults: a full disk, a folder as CURRENT, two writers, silent damage."""

from __future__ import annotations

import errno
import logging
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from bot.cli import main
from index import build, store, tokens
from index.engine import Engine
from index.errors import IndexWriteError
from index.integrity import IntegrityCheck
from index.scratch import Scratch, present
from index.store import POINTER, load_index, writer_lock

from ..conftest import REPO


def _generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.is_dir())


def _full_disk_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """np.save in the store fails with ENOSPC after `writes` successful calls."""
    real = np.save
    calls = {"n": 0}

    def save(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] > writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(*args, **kwargs)

    monkeypatch.setattr(store.np, "save", save)


def test_full_disk_leaves_nothing_and_old_index_serves(engine: Engine,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = _generations(engine.index_dir)
    _full_disk_after(monkeypatch, 3)
    with pytest.raises(IndexWriteError, match=r"^no space left on device writing the index"):
        engine.rebuild(trust_saved=False)  # a full build: an unchanged patch writes nothing
    assert _generations(engine.index_dir) == before  # no .tmp-gen-*, no half generation
    monkeypatch.undo()
    assert engine.ask("Rosatom").answered
    fresh = Engine(engine.sources_dir, engine.index_dir)
    assert not fresh.open().rebuilt  # the old generation is still the live, sound one


def test_full_disk_is_one_error_line_from_the_cli(sources_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk_after(monkeypatch, 0)
    result = CliRunner().invoke(main, ["index", "--sources", str(sources_dir),
                                       "--index", str(tmp_path / "ix")])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("Error: no space left on device"), result.output
    assert "Traceback" not in result.output
    assert not [p for p in (tmp_path / "ix").iterdir() if p.name.startswith((".tmp", "gen-"))]


def test_pointer_replaced_by_a_folder_is_repaired(engine: Engine, caplog) -> None:
    pointer = engine.index_dir / POINTER
    pointer.unlink()
    pointer.mkdir()
    (pointer / "junk").write_text("x")
    fresh = Engine(engine.sources_dir, engine.index_dir)
    with caplog.at_level(logging.WARNING):
        assert fresh.open().rebuilt
    assert "is a folder" in caplog.text
    assert pointer.is_file() and load_index(engine.index_dir)[0].size == 43
    assert fresh.ask("Rosatom").answered


_REBUILD = """
import sys
from pathlib import Path
from index.engine import Engine
Engine(Path(sys.argv[1]), Path(sys.argv[2])).rebuild()
print("ok")
"""


def _rebuild_process(sources: Path, index_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _REBUILD, str(sources), str(index_dir)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_writer_waits_for_the_lock(sources_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    with writer_lock(index_dir):
        other = _rebuild_process(sources_dir, index_dir)
        time.sleep(3.0)  # ample time to build 43 sentences, were it not waiting
        assert other.poll() is None
        assert not (index_dir / POINTER).exists()
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0 and out.strip() == "ok", err
    assert Engine(sources_dir, index_dir).open().rebuilt is False


def test_two_builds_at_once_both_succeed(sources_dir: Path, tmp_path: Path) -> None:
    (sources_dir / "copy.md").write_text(
        (sources_dir / "peace-talks-sticking-points.md").read_text() * 20, encoding="utf-8")
    index_dir = tmp_path / "ix"
    for _ in range(3):
        procs = [_rebuild_process(sources_dir, index_dir) for _ in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0 and out.strip() == "ok", err
        assert [p for p in _generations(index_dir) if p.startswith("gen-")].__len__() == 1
        assert not [p for p in _generations(index_dir) if p.startswith(".tmp")]
    assert Engine(sources_dir, index_dir).open().rebuilt is False


def _corrupt(path: Path, value: bytes) -> None:
    """Overwrite the last bytes of a file: same size, different content."""
    data = bytearray(path.read_bytes())
    data[-len(value):] = value
    path.write_bytes(bytes(data))


def _big_index_engine(sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      ) -> tuple[Engine, Path]:
    """An index treated as big (checksums not read at load) and its live generation."""
    monkeypatch.setattr(store, "VERIFY_LIMIT_BYTES", 0)
    Engine(sources_dir, tmp_path / "ix").open()
    gen = tmp_path / "ix" / (tmp_path / "ix" / POINTER).read_text().strip()
    return Engine(sources_dir, tmp_path / "ix"), gen


def test_big_index_damage_found_in_the_background_and_rebuilt(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    engine, gen = _big_index_engine(sources_dir, tmp_path, monkeypatch)
    _corrupt(gen / "postings.idf.npy", np.float64(-7.0).tobytes())  # wrong answers, no crash
    with caplog.at_level(logging.WARNING):
        assert not engine.open().rebuilt  # served at once, checked in the background
        engine._check.wait(30)
        assert engine._check.damaged()
        answer = engine.ask("Rosatom")
    assert "checksum differs" in caplog.text and "rebuilding" in caplog.text
    assert answer.passages[0].match.startswith("Ukraine's problem")
    load_index(tmp_path / "ix")  # healthy again, and the sound one is verified
    assert not engine._check.damaged()


def test_big_index_damage_that_crashes_a_question_is_rebuilt(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, gen = _big_index_engine(sources_dir, tmp_path, monkeypatch)
    ids = np.load(gen / "postings.ids.npy")
    ids[:] = 10**9  # every posting points far outside the index: any match would crash
    np.save(gen / "postings.ids.npy", ids)
    monkeypatch.setattr(IntegrityCheck, "loaded", _loaded_without_background_check)
    assert not engine.open().rebuilt
    for _ in range(2):  # not just once: the damage is gone for good
        assert engine.ask("Rosatom").passages[0].match.startswith("Ukraine's problem")


def _loaded_without_background_check(self: IntegrityCheck, generation: str, *,
                                     verified: bool, background: bool = True) -> None:
    """IntegrityCheck.loaded, but leaving a big index's check pending (no thread)."""
    from index.integrity import State

    self._generation = generation
    self._state = State.VERIFIED if verified else State.PENDING


@pytest.mark.parametrize("command", [["ask", "Rosatom"], ["sources"], ["issues"], ["index"]])
def test_editing_the_tokenizer_makes_every_command_rebuild(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        command: list[str]) -> None:
    edited = tmp_path / "tokens.py"
    edited.write_text(Path(tokens.__file__).read_text() + "\n# an edit\n", encoding="utf-8")
    before = load_index(engine.index_dir)[1]["tokenizer"]
    assert before == build.tokenizer_id()
    monkeypatch.setattr(tokens, "__file__", str(edited))
    build.tokenizer_id.cache_clear()
    try:
        result = CliRunner().invoke(main, [command[0], "--sources", str(engine.sources_dir),
                                           "--index", str(engine.index_dir), *command[1:]])
        assert result.exit_code == 0, result.output
        assert load_index(engine.index_dir)[1]["tokenizer"] == build.tokenizer_id() != before
    finally:
        monkeypatch.undo()
        build.tokenizer_id.cache_clear()


def test_scratch_marks_stay_clear_after_a_bad_id() -> None:
    work = Scratch()
    work.sources = np.zeros(10, dtype=bool)
    with pytest.raises(IndexError):
        present(np.array([4, 99]), work.sources, np.array([4]))
    assert not work.sources.any()
    assert present(np.array([1, 5]), work.sources, np.array([5, 6])).tolist() == [True, False]
    assert not work.sources.any()


def test_a_rebuild_that_finds_nothing_new_writes_nothing(engine: Engine) -> None:
    engine.open()
    before = _generations(engine.index_dir)
    report = engine.rebuild()  # what the watcher does after /add has already rebuilt
    assert not report.changed_anything
    assert _generations(engine.index_dir) == before
    assert engine.ask("Rosatom").answered


def test_the_new_index_answers_while_it_is_saved(engine: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import index.engine as engine_module

    (engine.sources_dir / "note.md").write_text("The zorblax accord was signed.\n",
                                                encoding="utf-8")
    answered_during_save = []
    real = engine_module.save_index

    def save(*args: object, **kwargs: object) -> Path:
        answered_during_save.append(engine.ask("zorblax accord").answered)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_module, "save_index", save)
    report = engine.rebuild()
    assert answered_during_save == [True]  # searchable before the write began
    assert report.searchable_seconds is not None and report.searchable_seconds <= report.seconds


def test_a_save_that_fails_puts_the_old_index_back(engine: Engine,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (engine.sources_dir / "note.md").write_text("The zorblax accord was signed.\n",
                                                encoding="utf-8")
    _full_disk_after(monkeypatch, 0)
    with pytest.raises(IndexWriteError):
        engine.rebuild()
    monkeypatch.undo()
    assert not engine.ask("zorblax accord").answered  # the saved (old) index serves again
    assert engine.ask("Rosatom").answered
    assert engine.rebuild().added == ("note",)  # and the next rebuild takes the note up
