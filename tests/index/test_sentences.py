import pytest

from index.sentences import split_sentences
from index.sources import load_folder

from ..conftest import REPO, SOURCES


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. said so. Then it left.", ["The U.S. said so.", "Then it left."]),
    ("Mr. Smith met Dr. Jones. Gen. Milley agreed.",
     ["Mr. Smith met Dr. Jones.", "Gen. Milley agreed."]),
    ("It starts on Jan. 5 at 3.5 degrees. It ends later.",
     ["It starts on Jan. 5 at 3.5 degrees.", "It ends later."]),
    ("People live there, 300,000 people... We can't lose those people.",
     ["People live there, 300,000 people... We can't lose those people."]),
    ("Putin wants… including energy… at low prices, he said.",
     ["Putin wants… including energy… at low prices, he said."]),
    ('"Is it over?" he asked. "No." She left.', ['"Is it over?" he asked.', '"No."', "She left."]),
    ("  spread\nover   lines.  ", ["spread over lines."]),
    ("", []),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_article_sentences_stay_word_for_word() -> None:
    """Every sentence of the bundled article occurs verbatim in the text the user gave."""
    given = REPO.parent / "shared" / "seed" / "article.txt"  # beside the repo, when present
    original = " ".join(given.read_text(encoding="utf-8").split()) if given.exists() else None
    docs, skipped = load_folder(SOURCES)
    assert not skipped
    sentences = [s for sec in docs[0].sections for p in sec.paragraphs for s in p.sentences]
    assert len(sentences) == 43
    source_text = " ".join((SOURCES / "peace-talks-sticking-points.md").read_text().split())
    for sentence in sentences:
        assert sentence in source_text
        if original is not None:
            assert sentence in original
