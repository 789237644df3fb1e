"""Shared fixtures: the real bundled sources, copied where a test may change them."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.engine import Engine

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "sources"
ARTICLE_ID = "peace-talks-sticking-points"


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled sources folder."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture
def engine(sources_dir: Path, tmp_path: Path) -> Engine:
    """An engine over the copied bundled sources, its index in tmp_path."""
    e = Engine(sources_dir, tmp_path / "index")
    e.open()
    return e


@pytest.fixture(autouse=True)
def _entry_point_logging_undone() -> Iterator[None]:
    """Undo the logging set-up a CLI entry point did in-process (a real process does it once)."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if h.get_name() == "citebot"]:
        root.removeHandler(handler)
    root.setLevel(level)
