"""A shown passage's terms, read from each part's own spans: the same as the joined text's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.engine import Engine
from index.models import Passage
from index.sentences import split_sentences
from index.shown import joined_terms, shown_text
from index.tokens import spans, tokenize

ENCYCLOPEDIA = Path(__file__).parent / "data" / "encyclopedia_dev"
REPO = Path(__file__).resolve().parents[2]


def _joined(parts: list[str]) -> frozenset[str]:
    return frozenset(t for _, _, ts in spans(" ".join(parts)) for t in ts)


@pytest.mark.parametrize("parts", [
    ["It cost 5", "million more.", "Title", ""],  # a number runs on into the next part
    ["It cost $", "5m in all.", "Title", "Heading"],
    ["Prices rose 5,", "percent of them", "Title", ""],
    ["Up to x²", "million", "Title", ""],  # NFKC makes the superscript a digit
    ["A rise of 5", "% at most", "T", ""],
    ["the U.S.", "A. B. said", "T", "H"],
    ["café", "\u0301 combining first", "T", ""],
    ["", "5 million", "T", ""],
    ["Plain words end here.", "Then more words.", "A title 2024", ""],
])
def test_parts_give_the_joined_texts_terms(parts: list[str]) -> None:
    assert joined_terms(parts) == _joined(parts)


def test_every_window_of_real_articles_gives_the_joined_texts_terms() -> None:
    files = sorted(ENCYCLOPEDIA.glob("*"))
    assert files
    checked = 0
    for path in files:
        sentences = split_sentences(path.read_text(encoding="utf-8"))
        for i in range(1, len(sentences) - 1):
            parts = [*sentences[i - 1:i + 2], path.stem, "Heading 2"]
            assert joined_terms(parts) == _joined(parts), parts
            checked += 1
    assert checked > 100


def _multi_sources(tmp_path: Path) -> Path:
    folder = tmp_path / "multi"
    shutil.copytree(REPO / "sources", folder)
    for md in (REPO.parent / "shared" / "eval" / "multi_dev" / "sources").glob("*.md"):
        shutil.copy(md, folder / md.name)
    (folder / "numbers.md").write_text(  # parts that run on into the next ("5" + "million")
        "---\ntitle: Costs 2024\n---\n\n## Spent 5\n\nIt cost 5. Million more came later. "
        "Then $ 5 went. Prices rose 5, percent of them said.\n", encoding="utf-8")
    return folder


def test_shown_text_holds_exactly_the_joined_texts_terms(tmp_path: Path) -> None:
    """A shown passage's terms, read from saved rows and maps, equal the tokenizer's, row by row."""
    engine = Engine(_multi_sources(tmp_path), tmp_path / "index")
    engine.open()
    index = engine.snapshot.index
    read_from_rows = 0
    for row in range(index.size):
        citation = index.citation(row)
        passage = Passage(rank=1, score=1.0, sentences=(index.sentence(row),), match_offset=0,
                          citation=citation, sentence_ids=(row,))
        shown = shown_text(index, passage)
        section = index.sent_section[row]
        rows = [r for r in (row - 1, row, row + 1)
                if 0 <= r < index.size and index.sent_section[r] == section]
        expected = joined_terms([*(index.sentence(r) for r in rows), citation.title,
                                 citation.section or ""])
        # Terms near it but not shown (two rows away) must not be held either.
        nearby = {t for r in (row - 2, row + 2) if 0 <= r < index.size
                  for t in tokenize(index.sentence(r))}
        # Nor the words of another source's title or another section's heading.
        source, headings = int(index.sent_source[row]), index.section_headings
        nearby.update(tokenize(index.sources[(source + 1) % len(index.sources)].title))
        nearby.update(tokenize(headings[(int(section) + 1) % len(headings)] or ""))
        for term in expected | nearby | {"zzunseen"}:
            assert shown.holds(term) == (term in expected), (row, term)
        read_from_rows += bool(shown.row_terms)
    assert read_from_rows > 100  # the saved rows' path is the one checked
