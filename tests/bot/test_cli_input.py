"""The terminal commands on bad input and a hostile environment: one `Error:` line, nothing lost."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main


@pytest.fixture
def run(sources_dir: Path, tmp_path: Path):
    def invoke(*args: str, index: Path | None = None, env: dict | None = None):
        return CliRunner().invoke(main, [*args[:1], "--sources", str(sources_dir), "--index",
                                         str(index or tmp_path / "ix"), *args[1:]], env=env)

    return invoke


def _one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    *warnings, last = result.stderr.strip().splitlines()
    assert last.startswith("Error: ") and "Traceback" not in result.stderr, result.stderr
    assert all(w.startswith("WARNING ") for w in warnings), result.stderr  # logged on the way
    return last


BATCH = [
    b'{"question": "Rosatom"}',
    b'{"question": "Rosatom \xff\xfe"}',
    b'{"question": "\\ud800 lonely"}',
    b'',
    b'{"question": "   "}',
    b'{"question": null}',
    b'{"question": "Rosatom", "source": 7}',
    b'["not", "an", "object"]',
    b'{"question": "Rosatom", "source": "no-such-source"}',
    b'{not json',
    b'{"question": "who runs the nuclear plant"}',
]


def test_batch_bad_lines_get_errors_and_the_rest_is_answered(run, tmp_path: Path) -> None:
    (tmp_path / "batch.jsonl").write_bytes(b"\n".join(BATCH) + b"\n")
    result = run("ask", "--json", "--batch", str(tmp_path / "batch.jsonl"))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("line") for r in rows] == [None, 2, 3, 5, 6, 7, 8, 9, 10, None]
    assert rows[0]["answered"] and rows[-1]["answered"]
    errors = [r["error"] for r in rows if "error" in r]
    assert errors[0].startswith("not UTF-8 text") and "lone surrogate" in errors[1]
    assert errors[2] == "'question' is empty"
    assert errors[3] == "'question' must be a string, not null"
    assert errors[4] == "'source' must be a string, not a number"
    assert errors[5] == "expected a JSON object, not an array"
    assert "no-such-source" in errors[6] and errors[7].startswith("not JSON")
    assert _one_error_line(result) == (
        'Error: batch lines 2, 3, 5, 6, 7, 8, 9, 10 failed (see the "error" objects)')


def test_a_batch_of_many_bad_lines_ends_in_one_short_error_line(run, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"  # e.g. a file of another shape: every line fails alike
    batch.write_text('{"q": "Rosatom"}\n' * 5000, encoding="utf-8")
    result = run("ask", "--json", "--batch", str(batch))
    assert len(result.stdout.splitlines()) == 5000  # each line still has its error object
    assert _one_error_line(result) == (
        "Error: 5000 batch lines failed: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 4990 more "
        '(see the "error" objects)')


def test_eval_reads_a_string_expectation_as_one(run, tmp_path: Path) -> None:
    (tmp_path / "q.jsonl").write_text('{"question": "Who runs Rosatom?", "expect": "Napoleon"}\n'
                                      '{"question": "Rosatom", "expect": ["Likachev"]}\n')
    result = run("eval", str(tmp_path / "q.jsonl"))
    assert result.exit_code == 0, result.output
    assert "hit@1: 0.500" in result.stdout  # "Napoleon" is not split into letters that hit


@pytest.mark.parametrize(("content", "message"), [
    (b'{"question": "Rosatom", "expect": null}\n\xff\n', "q.jsonl:2: not UTF-8 text"),
    (b'{"question": "\\udc00"}\n', "q.jsonl:1: text holds a lone surrogate"),
    (b'{"question": null, "expect": null}\n', "q.jsonl:1: 'question' must be a string"),
    (b'\n\n{"question": " "}\n', "q.jsonl:3: 'question' is empty"),
    (b'{"question": "x", "expect": [1]}\n', "q.jsonl:1: 'expect' must be a string, a list"),
])
def test_eval_input_errors_name_the_line(run, tmp_path: Path, content: bytes,
                                         message: str) -> None:
    (tmp_path / "q.jsonl").write_bytes(content)
    assert message in _one_error_line(run("eval", str(tmp_path / "q.jsonl")))


def test_index_given_a_file_is_one_error_line(run, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    result = run("ask", "Rosatom", index=tmp_path / "a-file")
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert "Traceback" not in result.output
    line = _one_error_line(run("ask", "Rosatom", index=tmp_path / "a-file" / "ix"))
    assert "Not a directory" in line and "a-file" in line


def test_read_only_index_folder_is_one_error_line(run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real_mkdir = os.mkdir

    def mkdir(path, *args, **kwargs):  # root writes anywhere: inject the error instead
        if str(path).startswith(str(tmp_path / "ro")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    line = _one_error_line(run("index", index=tmp_path / "ro"))
    assert line.startswith("Error: ") and "Permission denied" in line
    assert str(tmp_path / "ro") in line


def test_unwritable_cache_home_is_one_error_line(sources_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "cache-file").write_text("XDG_CACHE_HOME points at a file")
    result = CliRunner().invoke(main, ["ask", "Rosatom", "--sources", str(sources_dir)],
                                env={"XDG_CACHE_HOME": str(tmp_path / "cache-file")})
    assert "Not a directory" in _one_error_line(result)


def test_undecodable_question_argument(run) -> None:
    line = _one_error_line(run("ask", "Rosatom \udcff"))
    assert line == "Error: the question is not valid text (undecodable bytes)"


ZALGO = ("Z\u0334\u0322\u0349a\u0335\u0359\u0313l\u0338\u031b\u033a"
         "g\u0336\u0354\u0308o\u0337\u032e\u035d")


@pytest.mark.parametrize(("question", "reported"), [
    ("zorg-blat zorg-blat zorg-blat", "zorg-blat"),
    (f"{ZALGO} {ZALGO}", ZALGO),
])
def test_unknown_words_are_named_once_and_whole(run, question: str, reported: str) -> None:
    result = run("ask", "--json", question)
    assert json.loads(result.stdout)["unknown_terms"] == [reported]
    text = run("ask", question).stdout
    assert text.splitlines()[1] == f"Not found anywhere in the sources: {reported}"


@pytest.mark.parametrize(("args", "env", "option"), [
    (["--index", ""], {}, "--index"),             # `--index "$CITEBOT_INDEX"`, the variable unset
    (["--sources", ""], {}, "--sources"),
    ([], {"CITEBOT_SOURCES": ""}, "--sources"),   # exported but empty
])
def test_an_empty_folder_path_is_refused_not_taken_as_the_current_folder(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
        env: dict, option: str) -> None:
    if option == "--index":
        args = [*args, "--sources", str(sources_dir)]
    here = tmp_path / "here"  # the current folder: nothing may be read or written here
    here.mkdir()
    (here / "notes.md").write_text("My own notes about Rosatom.\n", encoding="utf-8")
    monkeypatch.chdir(here)
    result = CliRunner().invoke(main, ["ask", "Rosatom", *args], env=env)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"Error: Invalid value for '{option}': an empty path (an unset variable?)" in \
        result.stderr
    assert sorted(p.name for p in here.iterdir()) == ["notes.md"]
