"""A tokenizer built from only the vocabulary entries a text needs encodes it as the full one does.

index/model_tokenizer builds the model's tokenizer for the texts at hand (the full vocabulary
takes ~0.05 s to build); the ids, and so every vector, must be the full tokenizer's.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from index.model_tokenizer import Vocabulary
from index.semantic_model import MAX_TOKENS, load_encoder

ROOT = Path(__file__).resolve().parents[2]
# Text the tokenizer treats specially: its special tokens (matched before normalizing), accents
# it strips, CJK it splits per character, control characters it drops, a word past its 100
# characters, unknown symbols, sub-words, and text past MAX_TOKENS.
TRICKY = [
    "Zaporizhzhia's reactors [MASK] and [CLS]x[SEP] [UNK] [PAD]",
    "Café Zürich: naïve façade — Ångström, İstanbul, ǅemal, ﬁnance",
    "北京和东京 talks; 한국어 텍스트 and ひらがな",
    "tab\there\x00null\x07bell\u200bzero-width\u00adsoft\ufeffbom",
    "x" * 99 + " " + "y" * 100 + " " + "z" * 101 + " " + "antidisestablishmentarianism" * 4,
    "emoji 🙂🚀 and math ∑∫ and ₴5bn, €2.3m, 1,000,000 $5",
    "unaffordable unbelievable preconditions counteroffensive demilitarisation",
    " ".join(["long"] * 400),
    "",
    "   ",
]


def _texts() -> list[str]:
    """Sentences of the bundled article and two reports, then the tricky ones, then random ones."""
    lines: list[str] = []
    for path in [*sorted((ROOT / "sources").glob("*.md")),
                 *sorted((ROOT / "benchmarks/data/blind3/sources").glob("*.md"))]:
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(11)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ,.-'’\"#[]()éüñçß中文ё\u0301\t"
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
              for _ in range(300)]
    return lines + TRICKY


@pytest.fixture(scope="module")
def full() -> Tokenizer:
    """The tokenizer built from the whole tokenizer.json, as the library builds it."""
    tokenizer = Tokenizer.from_str(load_encoder().tokenizer_json)
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def test_each_text_gets_the_full_tokenizers_ids(full: Tokenizer) -> None:
    vocabulary = Vocabulary(load_encoder().tokenizer_json, max_tokens=MAX_TOKENS)
    texts = _texts()
    assert len(texts) > 400
    for text in texts:
        assert vocabulary.tokenizer_for([text]).encode(text).ids == full.encode(text).ids, text


def test_texts_built_for_together_each_get_their_own_ids(full: Tokenizer) -> None:
    vocabulary = Vocabulary(load_encoder().tokenizer_json, max_tokens=MAX_TOKENS)
    texts = _texts()
    for start in range(0, len(texts), 4):  # as the passages are embedded: a few at once
        batch = texts[start:start + 4]
        tokenizer = vocabulary.tokenizer_for(batch)
        assert [tokenizer.encode(t).ids for t in batch] == [full.encode(t).ids for t in batch]


def test_a_tokenizer_for_other_texts_lacks_their_pieces(full: Tokenizer) -> None:
    # A check that can fail: built for one text, another's words are mostly unknown to it.
    vocabulary = Vocabulary(load_encoder().tokenizer_json, max_tokens=MAX_TOKENS)
    other = "Kyiv rejected the proposal for the plant"
    ids = vocabulary.tokenizer_for(["what does Russia want"]).encode(other).ids
    assert ids != full.encode(other).ids
    assert full.token_to_id("[UNK]") in ids


def test_a_damaged_saved_table_is_made_again(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from index import datafiles

    monkeypatch.setattr(datafiles, "derived_dir", lambda: tmp_path)
    tokenizer_json = load_encoder().tokenizer_json
    question = "who would run the Zaporizhzhia plant"
    expected = Vocabulary(tokenizer_json, max_tokens=MAX_TOKENS).tokenizer_for(
        [question]).encode(question).ids
    (saved,) = tmp_path.glob("model-vocabulary-*.json")
    table = json.loads(saved.read_text(encoding="utf-8"))
    for damage in (json.dumps({**table, "pieces": table["pieces"][::-1]}),  # not sorted
                   '{"spec": {}, "pieces": ["a", "b"], "ids": [1, 2]}',  # no settings
                   json.dumps({**table, "ids": table["ids"][:-1]}),  # lengths differ
                   json.dumps({**table, "pieces": [1, *table["pieces"][1:]]}),  # not text
                   saved.read_text(encoding="utf-8")[:1000]):  # cut short
        saved.write_text(damage, encoding="utf-8")
        again = Vocabulary(tokenizer_json, max_tokens=MAX_TOKENS)
        assert again.tokenizer_for([question]).encode(question).ids == expected
        assert json.loads(saved.read_text(encoding="utf-8")) == table  # written whole again
