"""Shared by the load test and benchmarks/bot_load.py: many /ask at once during a rebuild."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakediscord import FakeDiscord, FakeInteraction

QUESTIONS = (
    "what does Russia want on Zaporizhzhia",
    "who gets Donetsk",
    "will Ukraine join Nato",
    "who pays for the losses",
    "will there be a referendum",
)


@dataclass
class LagProbe:
    """Measures how late the event loop wakes a task that sleeps `interval` seconds."""

    interval: float = 0.005
    lags: list[float] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, loop.time() - start - self.interval))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lag-probe")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of values, nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@dataclass
class LoadResult:
    """What happened to the questions, and the loop lag while they and the rebuild ran."""

    interactions: list[FakeInteraction]
    lags: list[float]
    rebuild_seconds: float
    answer_seconds: float

    @property
    def acks(self) -> list[float]:
        return [ix.acknowledged_in for ix in self.interactions if ix.acknowledged_in is not None]

    def lines(self) -> list[str]:
        acks, lags = self.acks, self.lags
        return [
            f"questions: {len(self.interactions)}, acknowledged: {len(acks)}, "
            f"all answered in {self.answer_seconds:.2f} s",
            f"ack latency: p50 {percentile(acks, 50) * 1000:.0f} ms, "
            f"p99 {percentile(acks, 99) * 1000:.0f} ms, max {max(acks, default=0) * 1000:.0f} ms",
            f"event-loop lag (rebuild took {self.rebuild_seconds:.2f} s; "
            f"{len(lags)} samples): p50 {statistics.median(lags or [0]) * 1000:.1f} ms, "
            f"p99 {percentile(lags, 99) * 1000:.1f} ms, max {max(lags, default=0) * 1000:.1f} ms",
        ]


async def lag_during(work: Callable[[], Awaitable[object]]) -> tuple[list[float], float]:
    """The event loop's lag samples while `work` runs, and how long it took."""
    probe = LagProbe()
    probe.start()
    started = time.perf_counter()
    await work()
    seconds = time.perf_counter() - started
    await probe.stop()
    return probe.lags, seconds


def lag_line(lags: list[float], seconds: float, what: str) -> str:
    """The lag figures as one line."""
    return (f"event-loop lag during {what} ({seconds:.2f} s; {len(lags)} samples): "
            f"p50 {statistics.median(lags or [0]) * 1000:.1f} ms, "
            f"p99 {percentile(lags, 99) * 1000:.1f} ms, max {max(lags, default=0) * 1000:.1f} ms")


async def ask_many_during(fake: FakeDiscord, rebuild: Callable[[], Awaitable[object]],
                          count: int = 200, timeout: float = 60.0) -> LoadResult:
    """Start `rebuild`, send `count` /ask at once, wait until all are answered."""
    probe = LagProbe()
    probe.start()
    loop = asyncio.get_running_loop()
    started = loop.time()
    rebuilding = asyncio.create_task(rebuild())
    rebuild_done: list[float] = []
    rebuilding.add_done_callback(lambda _: rebuild_done.append(loop.time() - started))
    await asyncio.sleep(0.05)  # the rebuild is under way in its worker thread
    sent = time.perf_counter()
    interactions = await asyncio.gather(*(
        fake.slash_command("ask", {"question": QUESTIONS[i % len(QUESTIONS)]},
                           user=("member", "admin", "owner")[i % 3])
        for i in range(count)))
    await asyncio.gather(*(ix.wait_done(timeout=timeout, settle=0) for ix in interactions))
    answered = time.perf_counter() - sent
    await rebuilding
    await probe.stop()
    return LoadResult(list(interactions), probe.lags, rebuild_done[0], answered)


def write_corpus(folder: Path, sentences: int) -> None:
    """A synthetic corpus of `sentences` sentences (benchmarks/synthetic.py) under `folder`."""
    import sys

    bench = Path(__file__).resolve().parents[2] / "benchmarks"
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    from synthetic import Corpus  # type: ignore[import-not-found]

    Corpus(sentences).write(folder)
