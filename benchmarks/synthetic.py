"""Synthetic corpora for the scale benchmark: Zipf-distributed pseudo-words in Markdown files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.tokens import stopwords

_ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "gr", "kr", "pl", "st", "tr", "sh", "ch")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CODAS = ("", "", "", "n", "r", "l", "m", "x")
SENTENCES_PER_FILE = 200
SENTENCES_PER_PARAGRAPH = 5
PARAGRAPHS_PER_SECTION = 8


def vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    """`size` distinct pronounceable pseudo-words (none of them a stopword)."""
    stops = stopwords()
    words: dict[str, None] = {}
    while len(words) < size:
        n = int(rng.integers(2, 5))
        word = "".join(_ONSETS[rng.integers(len(_ONSETS))] + _VOWELS[rng.integers(len(_VOWELS))]
                       for _ in range(n)) + _CODAS[rng.integers(len(_CODAS))]
        if word not in stops:
            words[word] = None
    return list(words)


def zipf_probabilities(size: int, s: float = 1.05, shift: float = 20.0) -> np.ndarray:
    """Zipf–Mandelbrot word probabilities by rank (the shift stands in for removed stopwords)."""
    p = 1.0 / (np.arange(1, size + 1) + shift) ** s
    return p / p.sum()


class Corpus:
    """A reproducible synthetic corpus: sentences of Zipf words, about 20 words each."""

    def __init__(self, n_sentences: int, vocab_size: int = 100_000, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = vocabulary(vocab_size, self.rng)
        self.cdf = np.cumsum(zipf_probabilities(vocab_size))
        self.n_sentences = n_sentences

    def draw(self, n: int) -> np.ndarray:
        """`n` word ranks drawn from the Zipf distribution."""
        return np.minimum(np.searchsorted(self.cdf, self.rng.random(n)), len(self.words) - 1)

    def sentence(self, ranks: np.ndarray) -> str:
        """One sentence from word ranks."""
        text = " ".join(self.words[r] for r in ranks)
        return text[:1].upper() + text[1:] + "."

    def file_text(self, number: int, n: int) -> str:
        """One Markdown source file of `n` sentences in sections and paragraphs."""
        lengths = np.clip(self.rng.normal(20, 6, n).round().astype(int), 6, 45)
        ranks = self.draw(int(lengths.sum()))
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        sentences = [self.sentence(ranks[bounds[i]:bounds[i + 1]]) for i in range(n)]
        title = " ".join(self.words[r] for r in self.draw(3)).title()
        parts = [f"---\ntitle: Report {number} {title}\n---\n"]
        per_section = SENTENCES_PER_PARAGRAPH * PARAGRAPHS_PER_SECTION
        for i in range(0, n, SENTENCES_PER_PARAGRAPH):
            if i % per_section == 0:
                heading = " ".join(self.words[r] for r in self.draw(2)).capitalize()
                parts.append(f"## {heading}\n")
            parts.append(" ".join(sentences[i:i + SENTENCES_PER_PARAGRAPH]) + "\n")
        return "\n".join(parts)

    def write(self, folder: Path) -> int:
        """Write the corpus as .md files (100 a subfolder); returns the number of files."""
        count = 0
        for first in range(0, self.n_sentences, SENTENCES_PER_FILE):
            n = min(SENTENCES_PER_FILE, self.n_sentences - first)
            path = folder / f"part-{count // 100:04d}" / f"report-{count:06d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.file_text(count, n), encoding="utf-8")
            count += 1
        return count

    def questions(self, n: int) -> list[str]:
        """Question-like queries of 3–8 content words, drawn like the text's own words."""
        templates = ("What did {} say about {}?", "Why did {} reject {}?",
                     "When was {} agreed by {}?",
                     "How many {} were there in {}?", "Who {} the {}?")
        out = []
        for _ in range(n):
            k = int(self.rng.integers(3, 9))
            words = [self.words[r] for r in self.draw(k)]
            cut = int(self.rng.integers(1, k))
            template = templates[int(self.rng.integers(len(templates)))]
            out.append(template.format(" ".join(words[:cut]), " ".join(words[cut:])))
        return out
