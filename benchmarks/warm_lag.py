"""What a serving process's passage warming costs the bot: event-loop lag and answers meanwhile.

    .venv/bin/python benchmarks/warm_lag.py [--seconds 15]

Over the bundled article and the ten public multi_dev reports, in a user cache of its own (a
temporary XDG_CACHE_HOME, so no passage's vector is kept yet): the event loop's lag (how late a
10 ms sleep wakes) is measured idle, then while Engine.warm embeds the passages on its thread (as
`citebot run` does after opening an index), and three questions are answered meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "eval" / "multi_dev" / "sources"
QUESTIONS = ("what does Russia want on Zaporizhzhia", "how big is ukraine's army",
             "who is witkoff")


async def _lags(seconds: float) -> list[float]:
    """How late (ms) each 10 ms sleep woke, for `seconds`."""
    lags, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append((time.perf_counter() - started - 0.01) * 1000)
    return sorted(lags)


def _line(name: str, lags: list[float]) -> str:
    """p50, p99 and max of sorted lags."""
    return (f"{name}: loop lag p50 {lags[len(lags) // 2]:.2f} ms, "
            f"p99 {lags[int(len(lags) * 0.99)]:.2f} ms, max {lags[-1]:.2f} ms")


async def _measure(seconds: float) -> None:
    """Idle lag, then lag and answer times while the passages are embedded."""
    from index.engine import Engine

    folder = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "sources", folder / "sources")
    for report in REPORTS.glob("*.md"):
        shutil.copy(report, folder / "sources" / report.name)
    engine = Engine(folder / "sources", folder / "index")
    engine.open()
    idle = await _lags(3)
    threading.Thread(target=engine.warm, daemon=True).start()
    warming = await _lags(seconds)
    answers = []
    for question in QUESTIONS:
        started = time.perf_counter()
        await asyncio.to_thread(engine.ask, question)
        answers.append(f"{time.perf_counter() - started:.3f}")
    print(_line("idle", idle))
    print(_line("warming", warming))
    print("answers while warming (s):", ", ".join(answers))


def main() -> None:
    """Run the measurement in a user cache of its own."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache  # before index is imported: platformdirs reads it
        sys.path.insert(0, str(ROOT))
        asyncio.run(_measure(args.seconds))


if __name__ == "__main__":
    main()
