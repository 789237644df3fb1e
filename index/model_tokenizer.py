"""The model's tokenizer, built for the texts at hand: the same ids, without its whole vocabulary.

Building the `tokenizers` library's Tokenizer from the model's tokenizer.json takes ~0.05 s, most
of it putting the 30,522 vocabulary entries in a hash map: more than a one-shot answer's forward
pass. WordPiece only ever looks up pieces of a text's own words (greedy longest match first: the
word's prefixes, then "##" and its later substrings), so a Tokenizer given just the entries that
are substrings of the texts' words, with their ids, and everything else in tokenizer.json as it
is (normalizer, pre-tokenizer, special tokens, template, truncation) encodes those texts to the
same ids. The library still does all the tokenizing; this only chooses the vocabulary it is
given. tests/index/test_model_tokenizer.py checks the ids against the full tokenizer's on real
and random text. A tokenizer for a question and three passages takes ~1 ms.

The vocabulary is looked up in a sorted table derived from tokenizer.json once per machine and
kept in the user cache (index/datafiles, keyed by the JSON's bytes and this code): reading it
back takes ~0.004 s, against ~0.02 s for parsing the JSON and ~0.006 s more for a dict of it.
"""

from __future__ import annotations

import json
import operator
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .datafiles import derived, derived_key

if TYPE_CHECKING:
    from tokenizers import Tokenizer


class Vocabulary:
    """tokenizer.json read once; Tokenizers for given texts built from the entries they need."""

    def __init__(self, tokenizer_json: str, *, max_tokens: int) -> None:
        """Read an already checked tokenizer.json (a WordPiece model, as BERT's)."""
        from tokenizers import Tokenizer  # here: answers that embed nothing never import it

        table = derived("model-vocabulary", derived_key(tokenizer_json, Path(__file__)),
                        lambda: _table(tokenizer_json), _as_table)
        self._spec: dict[str, Any] = table["spec"]
        self._pieces: list[str] = table["pieces"]
        self._ids: list[int] = table["ids"]
        model = self._spec["model"]
        self._prefix: str = model["continuing_subword_prefix"]
        self._max_chars: int = model["max_input_chars_per_word"]
        # Always given: the special tokens (the text may hold them) and the unknown word's.
        self._always = {t["content"]: t["id"] for t in self._spec["added_tokens"]}
        self._always.update(self._entries(model["unk_token"], whole=True))
        self._max_tokens = max_tokens
        self._tokenizer_class = Tokenizer
        self._splitter = self._built(self._always)  # its normalizer and pre-tokenizer only

    def tokenizer_for(self, texts: Sequence[str]) -> Tokenizer:
        """A tokenizer that encodes each of `texts` as the full vocabulary's would."""
        entries = dict(self._always)
        for text in texts:
            normalized = self._splitter.normalizer.normalize_str(text)
            for word, _ in self._splitter.pre_tokenizer.pre_tokenize_str(normalized):
                if len(word) <= self._max_chars:  # a longer word is the unknown token whole
                    entries.update(self._entries(word))
        return self._built(entries)

    def _entries(self, word: str, *, whole: bool = False) -> Iterator[tuple[str, int]]:
        """The vocabulary entries WordPiece may look up for one word (or only it), with ids."""
        pieces, count = self._pieces, len(self._pieces)
        for start in range(1 if whole else len(word)):
            prefix = "" if start == 0 else self._prefix
            for end in range(len(word) if whole else start + 1, len(word) + 1):
                piece = prefix + word[start:end]
                at = bisect_left(pieces, piece)
                if at < count and pieces[at] == piece:
                    yield piece, self._ids[at]

    def _built(self, entries: dict[str, int]) -> Tokenizer:
        """A Tokenizer with tokenizer.json's settings and these vocabulary entries."""
        vocab = dict(sorted(entries.items(), key=lambda entry: entry[1]))
        spec = {**self._spec, "model": {**self._spec["model"], "vocab": vocab}}
        tokenizer = self._tokenizer_class.from_str(json.dumps(spec))
        tokenizer.enable_truncation(self._max_tokens)
        tokenizer.no_padding()  # tokenizer.json pads to 128: one text at a time needs no padding
        return tokenizer


def _table(tokenizer_json: str) -> dict[str, Any]:
    """tokenizer.json's settings (its vocabulary left out) and its vocabulary, sorted."""
    spec = json.loads(tokenizer_json)
    vocab: dict[str, int] = spec["model"].pop("vocab")
    spec["model"]["vocab"] = {}
    pieces = sorted(vocab)
    return {"spec": spec, "pieces": pieces, "ids": [vocab[p] for p in pieces]}


_MODEL_KEYS = {"continuing_subword_prefix", "max_input_chars_per_word", "unk_token"}


def _as_table(saved: object) -> dict[str, Any]:
    """A saved table back (ValueError or TypeError if it is not one)."""
    spec = saved.get("spec") if isinstance(saved, dict) else None
    if not (isinstance(spec, dict) and isinstance(spec.get("added_tokens"), list)
            and isinstance(spec.get("model"), dict) and spec["model"].keys() >= _MODEL_KEYS):
        raise TypeError("not a vocabulary table")
    pieces, ids = saved.get("pieces"), saved.get("ids")
    if not (isinstance(pieces, list) and isinstance(ids, list) and len(pieces) == len(ids)
            and pieces and isinstance(pieces[0], str) and set(map(type, ids)) == {int}):
        raise TypeError("not a vocabulary table")
    # Strictly increasing, so bisect finds every piece (a piece that is not a str raises).
    if not all(map(operator.lt, pieces, islice(pieces, 1, None))):
        raise ValueError("the vocabulary table is not sorted")
    return saved
