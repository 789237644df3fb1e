"""Reading a sources folder: hostile files, unreadable files, symlinks and clashing ids."""

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index import sources
from index.engine import Engine
from index.sources import SourceFile, read_source, scan

from ..conftest import ARTICLE_ID, REPO

BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
title: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---

Some text about laughter.
"""


def _document(tmp_path: Path, name: str, content: bytes | str):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return read_source(SourceFile(path.stem, path, "0" * 64, path.stat().st_size))


def _open(sources_dir: Path, tmp_path: Path, caplog) -> tuple[Engine, dict[str, str]]:
    """Build an index over the folder; the skipped sources by id, and the warnings logged."""
    engine = Engine(sources_dir, tmp_path / "ix")
    with caplog.at_level(logging.WARNING):
        report = engine.open()
    return engine, dict(report.skipped)


def test_parsing_is_linear_in_the_file(tmp_path: Path) -> None:
    # (blank.md has no closing `---`: no front matter, so "---" is its first paragraph.)
    # Each of these took minutes or more with the regex parser (cubic and quadratic backtracking).
    (tmp_path / "spaces.md").write_text("# Title" + " " * 100_000 + "end\n\nBody text here.\n")
    (tmp_path / "blank.md").write_text("---\n" + "\n" * 10_000 + "word " * 200_000 + "\n")
    (tmp_path / "blank2.md").write_text("---\n" + "\n" * 10_000 + "title: x\n---\nBody text.\n")
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from index.sources import SourceFile, read_source
        for name in ("spaces.md", "blank.md", "blank2.md"):
            path = Path(sys.argv[1]) / name
            doc = read_source(SourceFile(path.stem, path, "0" * 64, 1))
            print(name, doc.sentence_count, doc.sections[0].heading)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == [
        "spaces.md 1 Title" + " " * 100_000 + "end", "blank.md 2 None", "blank2.md 1 None"]


def test_alias_bomb_is_refused_and_the_rest_served(sources_dir: Path, tmp_path: Path,
                                                   caplog) -> None:
    (sources_dir / "laughs.md").write_text(BILLION_LAUGHS)
    engine, skipped = _open(sources_dir, tmp_path, caplog)
    assert "aliases" in skipped["laughs"]
    assert "laughs" in caplog.text and engine.ask("Rosatom").answered


def test_deeply_nested_or_impossible_front_matter_is_skipped_and_the_rest_served(
        sources_dir: Path, tmp_path: Path, caplog) -> None:
    # One bad file must not take the whole index down (every command, the bot's start-up).
    (sources_dir / "nested.md").write_text(
        "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\nSome text about nesting.\n")
    (sources_dir / "when.md").write_text("---\npublished: 2025-13-45\n---\n\nSome text.\n")
    engine, skipped = _open(sources_dir, tmp_path, caplog)
    assert skipped == {"nested": "front matter is nested too deeply",
                       "when": "front matter has an impossible value: month must be in 1..12"}
    assert "nested" in caplog.text and engine.ask("Rosatom").answered


@pytest.mark.parametrize(("front", "reason"), [
    ("title: {a: b}", "'title' must be text, not dict"),
    ("title: [a, b]", "'title' must be text, not list"),
    ("url: true", "'url' must be text, not bool"),
    ("title: " + "x" * 3000, "'title' is over 2,000 characters"),
    ("title: x\nnotes: " + "y" * 70_000, "front matter is over 64,000 characters"),
])
def test_front_matter_values_are_bounded_text(tmp_path: Path, front: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        _document(tmp_path, "a.md", f"---\n{front}\n---\n\nBody text.\n")


def test_front_matter_text_numbers_dates_and_other_keys(tmp_path: Path) -> None:
    doc = _document(tmp_path, "a.md", "---\ntitle: 1984\npublished: 2024-01-05\n"
                                      "tags: [a, b]\nurl: https://x.org/a\n---\n\nBody text.\n")
    assert (doc.title, doc.published, doc.url) == ("1984", "2024-01-05", "https://x.org/a")


def test_yaml_error_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as err:
        _document(tmp_path, "a.md", "---\ntitle: [unclosed\n---\n\nBody text.\n")
    assert "\n" not in str(err.value) and "not valid YAML" in str(err.value)


def test_headings_closing_hashes_and_non_headings(tmp_path: Path) -> None:
    doc = _document(tmp_path, "a.md", "# Using C#\n\nOne.\n\n## Part two ##\n\nTwo.\n\n"
                                      "####### seven\n\n#hashtag text.\n")
    assert [s.heading for s in doc.sections] == ["Using C#", "Part two"]
    assert [p.sentences for p in doc.sections[1].paragraphs] == [
        ("Two.",), ("####### seven",), ("#hashtag text.",)]


def test_utf16_with_a_byte_order_mark_is_text(tmp_path: Path) -> None:
    doc = _document(tmp_path, "memo.txt", "Grain left Odesa on Monday.\n".encode("utf-16"))
    assert doc.sections[0].paragraphs[0].sentences == ("Grain left Odesa on Monday.",)


def test_unreadable_sources_are_skipped_and_named(sources_dir: Path, tmp_path: Path, caplog,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (sources_dir / "gone.md").symlink_to(tmp_path / "missing.md")
    os.mkfifo(sources_dir / "pipe.txt")  # reading it would block forever
    locked = sources_dir / "locked.md"
    locked.write_text("Secret text.\n")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # root ignores file modes: inject the error instead
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    engine, skipped = _open(sources_dir, tmp_path, caplog)
    assert skipped == {"gone": "a broken symlink", "pipe": "not a regular file",
                       "locked": "cannot read it: Permission denied"}
    assert all(name in caplog.text for name in skipped)
    assert engine.ask("Rosatom").answered
    assert not Engine(sources_dir, tmp_path / "ix").open().rebuilt  # remembered, not re-read


def test_unreadable_sub_folder_is_warned_about(sources_dir: Path, tmp_path: Path, caplog,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (sources_dir / "private").mkdir()
    (sources_dir / "private" / "note.md").write_text("Hidden note.\n")
    real_scandir = os.scandir

    def scandir(path):  # root can list any folder: inject the error
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with caplog.at_level(logging.WARNING):
        files = scan(sources_dir)
    assert [f.source_id for f in files] == [ARTICLE_ID]
    assert "cannot read sources sub-folder 'private': Permission denied" in caplog.text


def test_clashing_ids_are_unique_and_named(sources_dir: Path, tmp_path: Path, caplog) -> None:
    for suffix, word in ((".md", "apples"), (".txt", "pears"), (".markdown", "plums")):
        (sources_dir / f"fruit{suffix}").write_text(f"The farm grows {word}.\n")
    engine, _ = _open(sources_dir, tmp_path, caplog)
    ids = [s.source_id for s in engine.sources()]
    assert ids == ["fruit.markdown", "fruit.md", "fruit.txt", ARTICLE_ID]
    for suffix, word in ((".md", "apples"), (".txt", "pears"), (".markdown", "plums")):
        assert engine.ask(word, source=f"fruit{suffix}").passages[0].match.endswith(f"{word}.")
    assert "'fruit.md' shares the source id 'fruit'" in caplog.text


def test_symlinks_outside_the_folder_are_skipped(sources_dir: Path, tmp_path: Path,
                                                 caplog) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The password is swordfish.\n")
    (sources_dir / "passwd.txt").symlink_to(outside / "secret.txt")
    (sources_dir / "leak").symlink_to(outside, target_is_directory=True)
    engine, _ = _open(sources_dir, tmp_path, caplog)
    assert [s.source_id for s in engine.sources()] == [ARTICLE_ID]
    assert not engine.ask("swordfish password").answered
    assert "'passwd.txt': it leads outside the sources folder" in caplog.text
    assert "'leak': it leads outside the sources folder" in caplog.text


def test_symlinks_inside_the_folder_are_followed_alike(sources_dir: Path, tmp_path: Path,
                                                       caplog) -> None:
    (sources_dir / "v2").mkdir()
    (sources_dir / "v2" / "grain.txt").write_text("Grain left Odesa on Monday.\n")
    (sources_dir / "current").symlink_to("v2", target_is_directory=True)
    (sources_dir / "latest.txt").symlink_to(sources_dir / "v2" / "grain.txt")
    (sources_dir / "v2" / "loop").symlink_to(sources_dir, target_is_directory=True)
    engine, _ = _open(sources_dir, tmp_path, caplog)
    assert [s.source_id for s in engine.sources()] == [
        "current/grain", "latest", ARTICLE_ID, "v2/grain"]
    assert "'v2/loop': a symlink loop" in caplog.text


def test_control_characters_in_file_names_are_escaped(sources_dir: Path, tmp_path: Path,
                                                      caplog) -> None:
    (sources_dir / "two\nlines.txt").write_text("Grain left Odesa on Monday.\n")
    engine, _ = _open(sources_dir, tmp_path, caplog)
    assert "two\\nlines" in [s.source_id for s in engine.sources()]


def test_empty_folder_builds_without_warnings(tmp_path: Path, caplog) -> None:
    (tmp_path / "src").mkdir()
    with caplog.at_level(logging.WARNING):
        assert Engine(tmp_path / "src", tmp_path / "ix").open().sentences == 0
    assert caplog.records == []


def test_a_file_kind_without_a_reader_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no reader for \.adding files"):
        _document(tmp_path, "x.md.adding", "Text.\n")


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every source file scan() reads."""
    read: list[Path] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        read.append(path)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return read


def test_a_settled_unchanged_file_is_not_read_again_and_any_change_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    one, two = folder / "one.md", folder / "two.md"
    one.write_text("An old report.\n", encoding="utf-8")
    two.write_text("A new report.\n", encoding="utf-8")
    read = _reads(monkeypatch)
    monkeypatch.setattr(sources, "_SETTLED_NS", 0)  # every file counts as settled at once
    first = {f.source_id: f.sha256 for f in scan(folder)}
    assert sorted(p.name for p in read) == ["one.md", "two.md"]
    read.clear()
    assert {f.source_id: f.sha256 for f in scan(folder)} == first
    assert read == []  # unchanged: their kept hashes
    # The same size and the old mtime put back: the ctime still moves, so it is read again.
    stamp = one.stat()
    one.write_text("An odd report.\n", encoding="utf-8")
    os.utime(one, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    again = {f.source_id: f.sha256 for f in scan(folder)}
    assert [p.name for p in read] == ["one.md"] and again["one"] != first["one"]
    # A file changed just now is read on every scan until it has settled (racy clean).
    monkeypatch.setattr(sources, "_SETTLED_NS", 3_600_000_000_000)
    two.write_text("A new rePort.\n", encoding="utf-8")
    read.clear()
    assert scan(folder)[1].sha256 != first["two"]
    assert scan(folder)[1].sha256 != first["two"]
    assert [p.name for p in read] == ["two.md", "two.md"]


def test_a_removed_files_kept_hash_is_forgotten(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    gone, kept = folder / "gone.md", folder / "kept.md"
    gone.write_text("A report taken down.\n", encoding="utf-8")
    kept.write_text("A report kept.\n", encoding="utf-8")
    monkeypatch.setattr(sources, "_KNOWN_HASHES", {})
    monkeypatch.setattr(sources, "_SETTLED_NS", 0)
    scan(folder)
    assert set(sources._KNOWN_HASHES) == {str(gone), str(kept)}
    gone.unlink()
    assert [f.source_id for f in scan(folder)] == ["kept"]
    assert set(sources._KNOWN_HASHES) == {str(kept)}  # a server that churns files stays bounded
