"""Stems are nltk's Snowball English stems, whether computed or read back from a saved index."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

from index import tokens
from index.engine import Engine
from index.store import STEMS

from ..conftest import REPO

EVAL = Path("/work/shared/eval")
_WORD = re.compile(r"[^\W\d_]+")


def _vocabulary() -> list[str]:
    """Every word of the article, the test corpora, multi_dev and WikiQA (where present)."""
    roots = [REPO / "sources", REPO / "tests" / "index" / "data", EVAL / "multi_dev",
             EVAL / "wikiqa"]
    words: set[str] = set()
    for root in roots:
        for path in root.rglob("*") if root.is_dir() else ():
            if path.suffix in (".md", ".txt", ".tsv", ".jsonl", ".toml", ".html"):
                words.update(_WORD.findall(path.read_text(encoding="utf-8",
                                                          errors="ignore").lower()))
    return sorted(words)


def test_stems_equal_nltk_over_a_large_vocabulary() -> None:
    words = _vocabulary()
    assert len(words) > 5_000
    nltk_stem = SnowballStemmer("english").stem
    assert [tokens.stem(w) for w in words] == [nltk_stem(w) for w in words]


_READ_BACK = """
import json, sys
from pathlib import Path
from index import tokens
from index.build import tokenizer_id
tokens.offer_stems(Path(sys.argv[1]), tokenizer_id())
words = json.loads(Path(sys.argv[2]).read_text())
print(json.dumps({"stems": [tokens.stem(w) for w in words],
                  "nltk": any(m.startswith("nltk") for m in sys.modules)}))
"""


def test_saved_stems_are_nltk_stems_and_spare_the_nltk_import(engine: Engine,
                                                              tmp_path: Path) -> None:
    gen = engine.index_dir / (engine.index_dir / "CURRENT").read_text().strip()
    saved = json.loads((gen / STEMS).read_text(encoding="utf-8"))["stems"]
    nltk_stem = SnowballStemmer("english").stem
    assert len(saved) > 500 and all(nltk_stem(w) == s for w, s in saved.items())
    words = tmp_path / "words.json"
    known = sorted(saved)
    words.write_text(json.dumps(known), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _READ_BACK, str(gen / STEMS), str(words)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out["stems"] == [nltk_stem(w) for w in known] and out["nltk"] is False


def test_a_foreign_stem_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / STEMS
    path.write_text(json.dumps({"tokenizer": "other", "stems": {"zorbing": "wrong"}}))
    tokens.offer_stems(path, "this-one")
    assert tokens.stem("zorbing") == SnowballStemmer("english").stem("zorbing")


_ASK = """
import sys
from bot.cli import main
sys.argv = ["citebot", "ask", "--sources", sys.argv[1], "--index", sys.argv[2],
            "what does Russia want on Zaporizhzhia"]
try:
    main()
except SystemExit:
    pass
print("nltk imported" if any(m.startswith("nltk") for m in sys.modules) else "no nltk")
"""


def test_asking_a_built_index_imports_no_nltk(engine: Engine) -> None:
    done = subprocess.run([sys.executable, "-c", _ASK, str(engine.sources_dir),
                           str(engine.index_dir)], cwd=REPO, capture_output=True, text=True,
                          check=True)
    assert "Zaporizhzhia" in done.stdout and done.stdout.rstrip().endswith("no nltk"), done.stderr


def test_a_parallel_build_saves_the_stems_its_workers_computed(tmp_path: Path,
                                                               monkeypatch) -> None:
    from index import tokenize_sources

    words = ["zorblaxingly", "flibbertigibbeting", "flimflammeries", "gobbledygookers"]
    src = tmp_path / "src"
    src.mkdir()
    for i, word in enumerate(words):
        (src / f"note{i}.md").write_text(f"# Note {i}\n\nThe {word} were seen.\n\n"
                                         f"Nothing else happened.\n", encoding="utf-8")
    monkeypatch.setattr(tokenize_sources, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(tokenize_sources.os, "cpu_count", lambda: 2)
    Engine(src, tmp_path / "idx").rebuild()
    saved = json.loads(next((tmp_path / "idx").glob(f"gen-*/{STEMS}")).read_text("utf-8"))
    nltk_stem = SnowballStemmer("english").stem
    assert {w: saved["stems"].get(w) for w in words} == {w: nltk_stem(w) for w in words}
