"""`citebot chat`: the batch interface acceptance uses, and the interactive conversation."""

import json
from pathlib import Path

pytest_plugins = ["tests.bot.test_cli"]  # its `run` fixture: the CLI against a private index

REACTORS = "what state are the zaporizhzhia reactors in"
LUHANSK = "how much of luhansk has russia taken"


def _batch(tmp_path: Path, rows: list[dict[str, str]]) -> str:
    path = tmp_path / "turns.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_batch_keeps_interleaved_conversations_apart(run, tmp_path: Path) -> None:
    batch = _batch(tmp_path, [
        {"conversation": "a", "question": REACTORS},
        {"conversation": "b", "question": LUHANSK},
        {"conversation": "a", "question": "for how long now?"},
        {"conversation": "b", "question": "and the other half of the donbas?"}])
    result = run("chat", "--json", "--batch", batch)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    asked = json.loads(run("ask", "--json", REACTORS).output)
    assert {k: rows[0][k] for k in asked} == asked  # ask's shape, first turn as asked alone
    assert [(r["conversation"], r["understood_as"]) for r in rows[:2]] == [("a", None),
                                                                         ("b", None)]
    assert rows[2]["question"] == "for how long now?"
    assert rows[2]["understood_as"] == "for how long now — state zaporizhzhia reactors"
    assert "for more than three years" in rows[2]["passages"][0]["text"]
    assert rows[3]["understood_as"] == "and the other half of the donbas — luhansk russia taken"
    assert "zaporizhzhia" not in rows[3]["understood_as"]


def test_a_bad_batch_line_gets_an_error_in_its_place_and_the_rest_goes_on(run, tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(f'{{"conversation": "a", "question": "{REACTORS}"}}\n'
                    '{"question": "x"}\n'
                    '{"conversation": "a", "question": "  "}\n'
                    'not json\n'
                    '{"conversation": "a", "question": "for how long now?"}\n')
    result = run("chat", "--json", "--batch", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r.get("line") for r in rows] == [None, 2, 3, 4, None]
    assert "'conversation' must be a string" in rows[1]["error"]
    assert "'question' is empty" in rows[2]["error"] and "not JSON" in rows[3]["error"]
    assert rows[4]["understood_as"] == "for how long now — state zaporizhzhia reactors"
    assert "Error: batch lines 2, 3, 4 failed" in result.output
    assert run("chat", "--json").exit_code == 1  # --json alone is a usage mistake


def test_interactive_chat_follows_up_shows_more_and_starts_over(run) -> None:
    session = "\n".join([REACTORS, "for how long now?", ":more", ":new", "for how long now?"])
    result = run("chat", "--top", "1", input=session + "\n")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Reading this as: for how long now — state zaporizhzhia reactors" in flat
    assert "for more than three years" in flat
    assert flat.count("Reading this as:") == 1  # after :new the turn stands alone again
    assert "2. " in result.output  # :more showed the next passage
