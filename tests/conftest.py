"""Shared fixtures: the real bundled sources, copied where a test may change them."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot  # noqa: F401  (first: the process settings of citebot's entry points, one BLAS thread)
from index.engine import Engine

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "sources"
ARTICLE_ID = "peace-talks-sticking-points"
REPORTS = REPO.parent / "shared" / "eval" / "multi_dev" / "sources"


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled sources folder."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture
def engine(sources_dir: Path, tmp_path: Path) -> Engine:
    """An engine over the copied bundled sources, its index in tmp_path."""
    return _opened(sources_dir, tmp_path)


@pytest.fixture
def news_sources_dir(sources_dir: Path) -> Path:
    """A private copy of the bundled article with the ten public multi_dev reports beside it."""
    for report in REPORTS.glob("*.md"):
        shutil.copy(report, sources_dir / report.name)
    return sources_dir


@pytest.fixture
def news_engine(news_sources_dir: Path, tmp_path: Path) -> Engine:
    """An engine over the article and the ten reports, its index in tmp_path."""
    return _opened(news_sources_dir, tmp_path)


def _opened(sources: Path, tmp_path: Path) -> Engine:
    """An engine over `sources` with its index in tmp_path, opened (built) already."""
    e = Engine(sources, tmp_path / "index")
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
