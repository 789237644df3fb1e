"""The `citebot` terminal commands: output, the JSON shape, errors without tracebacks."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

from ..conftest import ARTICLE_ID

PASSAGE_KEYS = {"rank", "score", "source", "title", "section", "paragraph", "url", "publisher",
                "published", "match", "text", "citation", "also_reported_by"}


@pytest.fixture
def run(sources_dir: Path, tmp_path: Path):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, [*args[:1], "--sources", str(sources_dir), "--index",
                                    str(tmp_path / "ix"), *args[1:]], input=input)

    return invoke


def test_ask_prints_passages_with_citations(run) -> None:
    result = run("ask", "what does Russia want on Zaporizhzhia")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())  # the terminal text is wrapped
    assert "only one entity - Russia - can run it" in flat
    assert "— Sticking points in the Russia–Ukraine peace talks · Ukraine's huge nuclear" in flat
    assert result.output.startswith("1. ")


def test_ask_json_shape(run) -> None:
    result = run("ask", "--json", "--top", "2", "How many people live in Donetsk?")
    data = json.loads(result.output)
    assert set(data) == {"question", "answered", "abstention", "unknown_terms", "missing",
                         "passages"}
    assert data["abstention"] is None
    assert data["question"] == "How many people live in Donetsk?" and data["answered"] is True
    assert len(data["passages"]) == 2
    for p in data["passages"]:
        assert set(p) == PASSAGE_KEYS
        assert p["source"] == ARTICLE_ID and p["url"] is None
        assert isinstance(p["paragraph"], int) and isinstance(p["score"], float)
        assert p["match"] in p["text"]
        assert p["citation"].endswith(f"¶{p['paragraph']}")


def test_ask_json_batch_keeps_order(run, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"question": "Rosatom"}\n\n{"question": "Eiffel Tower", '
                     f'"source": "{ARTICLE_ID}"}}\n')
    result = run("ask", "--json", "--batch", str(batch))
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["question"] for r in rows] == ["Rosatom", "Eiffel Tower"]
    assert rows[0]["answered"] and not rows[1]["answered"]
    assert rows[1]["unknown_terms"] == ["Eiffel", "Tower"]


def test_abstention_names_unknown_terms(run) -> None:
    result = run("ask", "How tall is the Eiffel Tower?")
    assert result.exit_code == 0
    assert "do not cover" in result.output and "tall, Eiffel, Tower" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("ask", ""), "give a question"),
    (("ask", "--source", "nope", "nuclear"), "no source 'nope'"),
    (("issue", "weather"), "no issue 'weather'"),
    (("issue", "nato", "--side", "mars"), "no party 'mars'"),
    (("eval", "/no/such/file.jsonl"), "cannot read"),
    (("ask", "--batch", "/dev/null", "x"), "--batch needs --json"),
    (("ask", "--top", "0", "x"), "Invalid value for '--top'"),
])
def test_user_mistakes_give_one_clear_line(run, args, message: str) -> None:
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_index_sources_issues_issue(run) -> None:
    built = run("index")
    assert built.exit_code == 0 and "indexed 1 sources, 43 sentences" in built.output
    assert ARTICLE_ID in run("sources").output
    listing = run("issues").output
    assert "zaporizhzhia" in listing and "sides: russia, ukraine, us, europe" in listing
    issue = json.loads(run("issue", "nato", "--side", "russia", "--json").output)
    assert issue["answered"] and "Russia also rejects Ukraine's bid to join Nato" in \
        issue["passages"][0]["text"]


def test_eval_prints_the_figures(run, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "What did Rosatom say?", "expect": ["only one entity"]}\n'
                         '{"question": "Eiffel Tower height", "expect": null}\n')
    out = run("eval", str(questions)).output
    assert "hit@1: 1.000" in out and "abstained on unanswerable: 1/1" in out
    assert "wrongful abstentions on answerable: 0/1" in out


def test_terminal_path_never_imports_discord(sources_dir: Path, tmp_path: Path) -> None:
    code = ("import sys; from bot.cli import main\n"
            "try:\n    main(['ask', 'Rosatom', '--sources', sys.argv[1], '--index', sys.argv[2]])\n"
            "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "assert 'discord' not in sys.modules, 'discord imported'\n")
    done = subprocess.run([sys.executable, "-c", code, str(sources_dir), str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Rosatom" in done.stdout


def test_console_script_exit_code_and_no_traceback(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("citebot")
    done = subprocess.run([str(exe), "ask", "x", "--sources", str(tmp_path / "missing")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("Error: sources folder not found")
    assert "Traceback" not in done.stderr


def test_terminal_control_sequences_in_a_source_never_reach_the_terminal(
        sources_dir: Path, tmp_path: Path) -> None:
    # A source carrying escape sequences (clear the screen, retitle the window, a fake link)
    # must not drive the reader's terminal: citebot's own bold is the only styling printed.
    (sources_dir / "odd.txt").write_text(
        "Grain exports from Izmail \x1b[2J\x1b]0;pwned\x07rose \x1b]8;;http://x\x1b\\sharply"
        "\x9b31m this winter.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ask", "--top", "1", "grain exports from Izmail",
                                       "--sources", str(sources_dir), "--index",
                                       str(tmp_path / "ix")], color=True)  # as on a terminal
    assert result.exit_code == 0, result.output
    assert "\x1b[1m" in result.output  # the matched words in bold
    shown = result.output.replace("\x1b[1m", "").replace("\x1b[0m", "")
    assert not any(c in shown for c in "\x1b\x07\x9b"), repr(shown)
    assert "Grain exports from Izmail" in shown and "this winter." in shown


def test_a_reader_that_stops_early_gets_no_error_line(sources_dir: Path, tmp_path: Path) -> None:
    # `citebot ask --json --batch big.jsonl | head -c 100`: the pipe closes under citebot.
    exe = Path(sys.executable).with_name("citebot")
    batch = tmp_path / "big.jsonl"
    batch.write_text('{"question": "What did Rosatom say?"}\n' * 400, encoding="utf-8")
    reader = subprocess.Popen(["head", "-c", "100"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    done = subprocess.run([str(exe), "ask", "--json", "--batch", str(batch), "--sources",
                           str(sources_dir), "--index", str(tmp_path / "ix")],
                          stdout=reader.stdin, stderr=subprocess.PIPE, text=True, timeout=120)
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.close()
    shown = reader.stdout.read()
    reader.wait(timeout=30)
    assert len(shown) == 100
    assert done.stderr == "", done.stderr
    assert done.returncode == 1


def test_sources_counts_read_as_english(run, sources_dir: Path) -> None:
    (sources_dir / "one.txt").write_text("A single sentence about grain.\n", encoding="utf-8")
    out = run("sources").output
    assert "one  (1 sentence)  " in out
    assert re.search(r"\(\d+ sentences\)", out)
