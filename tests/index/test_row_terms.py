"""The tokens an index saves per row are the tokenizer's, so answering reads them instead.

Every row's term ids and their words' places equal `tokens.spans` of the stored sentence, and
the answer path's readers of them (a passage's matched words, a sentence's content terms) give
what tokenizing the sentence gives, on real articles, on text the tokenizer treats specially,
after a save and load, from the token cache, and for a sentence too long for its places.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.answer import _matched_terms
from index.build import build_index
from index.conversation_search import asks_new
from index.corpus import UNKNOWN_PLACE, Index
from index.duplicates import content_terms
from index.query import Query, TermGroup
from index.store import load_index, save_index
from index.tokenize_sources import load_tokenized
from index.tokens import spans

REPO = Path(__file__).resolve().parents[2]
LONG_WORDS = 14_000  # 5 characters each: the sentence runs past uint16 places
TRICKY = (
    "---\ntitle: Costs 2024\n---\n\n## Spent 5\n\n"
    "It cost $5 million, or 5 per cent of the £3bn plan. The ﬁrst hydro-electric plant's "
    "U.S. output fell. Kyiv's defence programme isn't idle. Café owners said ² and x² are "
    "numbers. The counter-offer was Zelensky’s, not the Kremlin's.\n\n"
    f"Start {'word ' * LONG_WORDS}zyxquux ends here.\n"
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(REPO / "sources", folder)
    for md in (REPO.parent / "shared" / "eval" / "multi_dev" / "sources").glob("*.md"):
        shutil.copy(md, folder / md.name)
    for path in sorted((Path(__file__).parent / "data" / "encyclopedia_dev").glob("*")):
        shutil.copy(path, folder / path.name)
    (folder / "tricky.md").write_text(TRICKY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """The sources built, saved and loaded back (memory-mapped, as served)."""
    tmp = tmp_path_factory.mktemp("rows")
    docs, skipped = load_tokenized(_folder(tmp), tmp / "cache")
    assert not skipped
    save_index(build_index(docs), tmp / "index")
    return load_index(tmp / "index")[0]


def _spans_matched(sentence: str, wanted: set[str]) -> tuple[str, ...]:
    """The matched words as the text path finds them (the tokenizer's spans)."""
    words = (sentence[a:b] for a, b, terms in spans(sentence) if wanted.intersection(terms))
    return tuple(dict.fromkeys(words))


def _query(terms: list[str]) -> Query:
    return Query(text="", groups=tuple(TermGroup(term=t, surface=t) for t in terms))


def test_every_rows_tokens_and_places_are_the_tokenizers(index: Index) -> None:
    names = list(index.postings.vocab)
    long_rows = 0
    for row in range(index.size):
        sentence = index.sentence(row)
        tokens = index.tokens(row, row + 1)
        terms = [names[t] for t in index.row_terms[tokens].tolist()]
        places = index.row_places[tokens].tolist()
        expected = [(a, b, t) for a, b, ts in spans(sentence) for t in ts]
        assert terms == [t for _, _, t in expected], row
        if len(sentence) >= UNKNOWN_PLACE:
            long_rows += 1
            assert [b for _, b in places][-1] == UNKNOWN_PLACE
        else:
            assert places == [[a, b] for a, b, _ in expected], row
    assert long_rows == 1 and index.size > 400


def test_matched_words_and_content_terms_equal_the_text_paths(index: Index) -> None:
    rng = random.Random(5)
    vocab, idf = index.postings.vocab, index.postings.idf
    names = list(vocab)
    for row in range(index.size):
        sentence = index.sentence(row)
        own = sorted({t for _, _, ts in spans(sentence) for t in ts})
        near = [names[t] for t in index.row_terms[index.tokens(max(row - 1, 0), row)].tolist()]
        for wanted in (own, rng.sample(own, len(own) // 3), [*near, "zzunseen"], []):
            assert _matched_terms(index, row, sentence, _query(wanted)) == \
                _spans_matched(sentence, set(wanted)), (row, wanted)
        got = {names[t]: w for t, w in content_terms(index, row).items()}
        assert got == {t: max(float(idf[vocab[t]]), 0.0) for t in own}, row


def test_a_sentence_past_the_saved_places_is_read_with_the_tokenizer(index: Index) -> None:
    row = next(r for r in range(index.size) if len(index.sentence(r)) >= UNKNOWN_PLACE)
    found = _matched_terms(index, row, index.sentence(row), _query(["zyxquux", "start"]))
    assert found == ("Start", "zyxquux")


def test_the_token_cache_keeps_the_places(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    fresh, _ = load_tokenized(folder, tmp_path / "cache")
    cached, _ = load_tokenized(folder, tmp_path / "cache")
    for a, b in zip(fresh, cached, strict=True):
        assert a.places is not None and b.places is not None
        assert np.array_equal(a.ids, b.ids) and np.array_equal(a.places, b.places)
        assert a.places.dtype == b.places.dtype == np.uint16


def test_a_follow_ups_novelty_check_reads_the_shown_rows_as_the_tokenizer_does(
        index: Index) -> None:
    """asks_new: whether a turn's own words are missing from the passages shown (± reach)."""
    rng = random.Random(7)
    names = list(index.postings.vocab)
    for row in range(0, index.size, 3):
        shown = [row, rng.randrange(index.size)]
        for reach in (0, 1):
            text = {t for r in shown
                    for near in range(max(0, r - reach), min(index.size, r + reach + 1))
                    for _, _, ts in spans(index.sentence(near)) for t in ts}
            held = sorted(text)
            for wanted in ([rng.choice(held)], rng.sample(held, min(3, len(held))),
                           [rng.choice(held), rng.choice(names)], [rng.choice(held), "zzunseen"]):
                assert asks_new(index, _query(wanted), shown, reach) == \
                    (not set(wanted) <= text), (row, reach, wanted)
