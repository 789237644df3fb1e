"""The model's tokenizer, built for the texts at hand: the same ids, without its whole vocabulary.

Building the `tokenizers` library's Tokenizer from the model's tokenizer.json takes ~0.05 s, most
of it putting the 30,522 vocabulary entries in a hash map: more than a one-shot answer's forward
pass. WordPiece only ever looks up pieces of a text's own words (greedy longest match first: the
word's prefixes, then "##" and its later substrings), so a Tokenizer given just the entries that
are substrings of the texts' words, with their ids, and everything else in tokenizer.json as it
is (normalizer, pre-tokenizer, special tokens, template, truncation) encodes those texts to the
same ids. The library still does all the tokenizing; this only chooses the vocabulary it is
given. tests/index/test_model_tokenizer.py checks the ids against the full tokenizer's on real
and random text. Parsing the JSON is ~0.015 s once per process; a tokenizer for a question and
three passages ~1 ms.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokenizers import Tokenizer


class Vocabulary:
    """tokenizer.json read once; Tokenizers for given texts built from the entries they need."""

    def __init__(self, tokenizer_json: str, *, max_tokens: int) -> None:
        """Read an already checked tokenizer.json (a WordPiece model, as BERT's)."""
        from tokenizers import Tokenizer  # here: answers that embed nothing never import it

        spec: dict[str, Any] = json.loads(tokenizer_json)
        model = spec["model"]
        self._ids: dict[str, int] = model["vocab"]
        self._prefix: str = model["continuing_subword_prefix"]
        self._max_chars: int = model["max_input_chars_per_word"]
        # Always given: the special tokens (the text may hold them) and the unknown word's.
        self._always = {t["content"]: t["id"] for t in spec["added_tokens"]}
        self._always[model["unk_token"]] = self._ids[model["unk_token"]]
        self._spec = {**spec, "model": {**model, "vocab": {}}}
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

    def _entries(self, word: str) -> Iterator[tuple[str, int]]:
        """The vocabulary entries WordPiece may look up for one word, with their ids."""
        for start in range(len(word)):
            prefix = "" if start == 0 else self._prefix
            for end in range(start + 1, len(word) + 1):
                piece = prefix + word[start:end]
                if piece in self._ids:
                    yield piece, self._ids[piece]

    def _built(self, entries: dict[str, int]) -> Tokenizer:
        """A Tokenizer with tokenizer.json's settings and these vocabulary entries."""
        vocab = dict(sorted(entries.items(), key=lambda entry: entry[1]))
        spec = {**self._spec, "model": {**self._spec["model"], "vocab": vocab}}
        tokenizer = self._tokenizer_class.from_str(json.dumps(spec))
        tokenizer.enable_truncation(self._max_tokens)
        tokenizer.no_padding()  # tokenizer.json pads to 128: one text at a time needs no padding
        return tokenizer
