"""Pytest fixtures: a started FakeDiscord that discord.py points at, torn down and checked after.

Use in a conftest.py:
    from tests.fakediscord.fixtures import fake_discord, make_fake_discord  # noqa: F401
or in the root conftest.py:  `pytest_plugins = ["tests.fakediscord.fixtures"]`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio

from .server import FakeDiscord

FakeFactory = Callable[..., Awaitable[FakeDiscord]]


@pytest_asyncio.fixture
async def make_fake_discord() -> AsyncIterator[FakeFactory]:
    """Yield `await make(**options)`: a started FakeDiscord, pointed at, checked after the test."""
    made: list[tuple[FakeDiscord, Any]] = []

    async def make(**options: Any) -> FakeDiscord:
        if made:
            raise RuntimeError(
                "one FakeDiscord per test: discord.py's REST base and gateway are global"
            )
        fake = await FakeDiscord(**options).start()
        made.append((fake, fake.point_discord_py_here()))
        return fake

    yield make
    leftovers: list[str] = []
    for fake, restore in made:
        restore()
        await fake.stop()
        leftovers += fake.failures
    if leftovers:
        pytest.fail(
            "fake Discord recorded failures "
            "(call fake.take_failures() in tests that expect them):\n  " + "\n  ".join(leftovers),
            pytrace=False,
        )


@pytest_asyncio.fixture
async def fake_discord(make_fake_discord: FakeFactory) -> FakeDiscord:
    """A started FakeDiscord with default options; discord.py points at it for the test."""
    return await make_fake_discord()


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def discord_errors() -> Iterator[list[logging.LogRecord]]:
    """Collect ERROR records of the `discord` loggers; the test fails if any remain at the end.

    discord.py only logs exceptions raised in app commands, autocomplete and views; clear the
    list in a test that provokes one on purpose.
    """
    handler = _ErrorRecords()
    logger = logging.getLogger("discord")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
    if handler.records:
        lines = [f"{r.name}: {r.getMessage()}" for r in handler.records]
        pytest.fail("discord logged errors:\n  " + "\n  ".join(lines), pytrace=False)
