"""The bot under load: 200 simultaneous /ask while a large corpus is rebuilt in the background.

Runs the real bot (discord.py) against the fake Discord of the tests on 127.0.0.1 and prints the
event loop's lag while the rebuild runs and the acknowledgement latency of the questions.

    .venv/bin/python benchmarks/bot_load.py [--sentences 100000] [--questions 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.bot.conftest import bot_config, make_bot  # noqa: E402
from tests.bot.loadkit import ask_many_during, lag_during, lag_line, write_corpus  # noqa: E402
from tests.fakediscord import FakeDiscord  # noqa: E402


async def measure(sentences: int, questions: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="citebot-load-"))
    try:
        sources = work / "sources"
        shutil.copytree(REPO / "sources", sources)
        late: list[object] = []
        fake = await FakeDiscord().start()
        restore = fake.point_discord_py_here()
        try:
            config = bot_config(fake, work, sources, log_level="WARNING")
            bot = make_bot(fake, config)
            async with fake.run_bot(bot):
                started = time.perf_counter()
                write_corpus(sources / "synthetic", sentences)
                print(f"wrote {sentences} synthetic sentences in "
                      f"{time.perf_counter() - started:.1f} s")
                # The rebuild alone first: the fake Discord shares this event loop, so during
                # the burst below the lag also counts the fake's own work for 200 requests.
                lags, seconds = await lag_during(bot.rebuild)
                print(f"rebuild: {bot.engine.snapshot.index.size} sentences indexed")
                print(lag_line(lags, seconds, "the full rebuild alone"))
                touched = next((sources / "synthetic").rglob("*.md"))
                touched.write_text(touched.read_text() + "\nOne more sentence.\n")
                print(f"then one file changed, and {questions} questions during its rebuild:")
                result = await ask_many_during(fake, bot.rebuild, count=questions,
                                               timeout=300)
                print("\n".join(result.lines()))
                late = [ix for ix in result.interactions
                        if ix.acknowledged_in is None or ix.acknowledged_in >= 3]
                print(f"acknowledged late (>= 3 s): {len(late)}; fake failures: "
                      f"{len(fake.failures)}")
        finally:
            restore()
            await fake.stop()
        return 1 if late or fake.failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sys.exit(asyncio.run(measure(args.sentences, args.questions)))


if __name__ == "__main__":
    main()
