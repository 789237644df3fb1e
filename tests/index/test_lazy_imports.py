"""A one-shot `citebot ask` on a built index imports no parser it does not use (issue 12)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import index.topics as topics_module
from index.engine import Engine
from index.topics import TOPICS_FILE, load_topics, parse_topics

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "yaml", "lxml", "nltk", "trafilatura", "tomllib", "numpy.ma")


def test_answering_from_a_built_index_imports_no_parser(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    Engine(sources, tmp_path / "index").open()  # built (and the issues file validated) here
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        f"main(['ask', 'what does Russia want on Zaporizhzhia', '--sources', {str(sources)!r},"
        f" '--index', {str(tmp_path / 'index')!r}], standalone_mode=False)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert "Zaporizhzhia" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


@pytest.mark.parametrize(("question", "semantic", "absent"), [
    # Declined: the model's tokenizer is never built, nor its library imported.
    ("who is the president of Argentina", "1", ("tokenizers",)),
    # The semantic order off: neither its vector store nor SQLite is imported.
    ("what does Russia want on Zaporizhzhia", "0", ("index.vector_store", "sqlite3", "tokenizers")),
    # A built index: nothing that reads or tokenizes sources, or parses web pages.
    ("what does Russia want on Zaporizhzhia", "1", ("index.refresh", "index.tokenize_sources",
                                                    "index.html", "index.patch")),
])
def test_what_an_answer_does_not_use_is_not_imported(tmp_path: Path, question: str,
                                                     semantic: str,
                                                     absent: tuple[str, ...]) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    Engine(sources, tmp_path / "index").open()
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        f"main(['ask', {question!r}, '--sources', {str(sources)!r},"
        f" '--index', {str(tmp_path / 'index')!r}], standalone_mode=False)\n"
        f"print(sorted(m for m in {absent!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=REPO, env={**os.environ, "CITEBOT_SEMANTIC": semantic})
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


def test_an_issues_file_is_validated_once_per_content(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sources, cache = tmp_path / "sources", tmp_path / "cache"
    shutil.copytree(REPO / "sources", sources)
    text = (sources / TOPICS_FILE).read_text(encoding="utf-8")
    first = load_topics(sources, cache)
    assert first == parse_topics(text) and first.issues and first.parties

    def no_parsing(*_: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(topics_module, "parse_topics", no_parsing)
    assert load_topics(sources, cache) == first  # read back from the cache
    monkeypatch.undo()
    (sources / TOPICS_FILE).write_text(text + '\n[parties.un]\nname = "United Nations"\n',
                                       encoding="utf-8")
    changed = load_topics(sources, cache)  # a new content is validated (and kept) again
    assert [p.key for p in changed.parties] == [p.key for p in first.parties] + ["un"]
    kept = list(cache.glob("topics-*.json"))  # the earlier content's entry is gone
    assert len(kept) == 1 and json.loads(kept[0].read_text())["parties"][-1]["key"] == "un"


def test_a_damaged_cache_entry_is_validated_again(tmp_path: Path) -> None:
    sources, cache = tmp_path / "sources", tmp_path / "cache"
    shutil.copytree(REPO / "sources", sources)
    first = load_topics(sources, cache)
    for kept in cache.glob("topics-*.json"):
        kept.write_text("{not json", encoding="utf-8")
    assert load_topics(sources, cache) == first
