"""Random patches of small corpora equal a full rebuild, array for array.

The splice copies surviving postings stretch by stretch, cut at removed runs and new documents'
groups; random corpora with shared, rare and title/heading words reach the edge cases (a term's
postings all removed, a removed run across terms, new terms first seen mid-corpus, two documents
next to each other) that the hand-written cases in test_patch.py name one by one.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index.build import TokenizedDocument, build_index
from index.patch import patch_index
from index.tokenize_sources import load_tokenized

from .test_patch import assert_same_index

WORDS = [f"w{c}{d}x" for c in "abcdefghij" for d in "klmnopqrst"]


def _text(rng: random.Random) -> str:
    """A Markdown source: maybe a title, headings, paragraphs of common and rare words."""
    parts = [f"---\ntitle: {' '.join(rng.choice(WORDS) for _ in range(3))}\n---\n"] \
        if rng.random() < 0.5 else []
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.3:
            parts.append(f"## {' '.join(rng.choice(WORDS[:30]) for _ in range(2))}\n")
        sentences = []
        for _ in range(rng.randint(1, 4)):
            words = [rng.choice(WORDS[:rng.choice([10, 40, 100])])
                     for _ in range(rng.randint(1, 8))]
            if rng.random() < 0.1:
                words.append(f"rare{rng.randint(0, 50)}q")
            sentences.append(" ".join(words).capitalize() + ".")
        parts.append(" ".join(sentences) + "\n")
    return "\n".join(parts)


def _versions(folder: Path, rng: random.Random, count: int) -> list[dict[str, TokenizedDocument]]:
    """Two versions of `count` sources (same ids, different text), tokenized."""
    versions = []
    for name in ("a", "b"):
        for i in range(count):
            path = folder / name / f"s{i:02d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_text(rng), encoding="utf-8")
        docs, skipped = load_tokenized(folder / name, None)
        assert not skipped
        versions.append({d.document.source_id: d for d in docs})
    return versions


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_patches_equal_full_rebuilds(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    first, second = _versions(tmp_path, rng, 14)
    ids = sorted(first)
    patched_count = 0
    for _ in range(80):
        old = {i: first[i] for i in ids if rng.random() < 0.7} or {ids[0]: first[ids[0]]}
        new = dict(old)
        for _ in range(rng.randint(1, 4)):
            i = rng.choice(ids)
            choice = rng.random()
            if choice < 0.33:
                new.pop(i, None)
            else:
                new[i] = (second if choice < 0.66 else first)[i]
        changes = {k: new.get(k) for k in old.keys() | new.keys() if old.get(k) is not new.get(k)}
        if not changes or not new:
            continue
        patched = patch_index(build_index([old[k] for k in sorted(old)]), changes)
        assert patched is not None
        assert_same_index(patched, build_index([new[k] for k in sorted(new)]))
        patched_count += 1
    assert patched_count > 50


def test_a_patch_that_leaves_only_stopwords_equals_a_full_rebuild(tmp_path: Path) -> None:
    for name, text in (("before", "The okapi grazes.\n"), ("after", "It is what it is.\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.md").write_text(text, encoding="utf-8")
    before = load_tokenized(tmp_path / "before", None)[0][0]
    after = load_tokenized(tmp_path / "after", None)[0][0]
    assert not after.terms
    patched = patch_index(build_index([before]), {"before": None, "after": after})
    assert patched is not None
    assert_same_index(patched, build_index([after]))
