"""Soak: the bot against the fake Discord for many minutes of mixed traffic; nothing may fail.

Questions (/ask, sticking-point commands, messages in an answer channel), clicks on More and
👍 / 👎, edits to the sources (the live re-index picks them up) and a gateway drop every minute,
all through the real discord.py client on 127.0.0.1. Prints a line a minute, then answered /
failed, acknowledgement latency and the process's RSS at start and end (bot and fake share the
process; the fake's own records are trimmed as it goes so that they do not count).

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--rate 4]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.bot.conftest import bot_config, make_bot  # noqa: E402
from tests.bot.loadkit import QUESTIONS, percentile  # noqa: E402
from tests.fakediscord import FakeDiscord, FakeInteraction, PostedMessage  # noqa: E402

USERS = ("member", "admin", "owner")
ISSUES = ("territory", "zaporizhzhia", "nato", "referendum", "security")
SIDES = (None, "russia", "ukraine", "us")
DROPS = ("abrupt", "reconnect_op7", "close_4000")
DONE_TIMEOUT = 15.0
KEEP = 200  # records the fake keeps of each kind (it would otherwise keep everything)


def rss_mb() -> float:
    """This process's resident set size in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class Tally:
    """What happened so far."""

    sent: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    failed: list[str] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)
    answers: deque[PostedMessage] = field(default_factory=lambda: deque(maxlen=50))

    def count(self, kind: str) -> None:
        self.sent[kind] = self.sent.get(kind, 0) + 1


class Soak:
    """Drives mixed traffic at the bot and keeps the tally."""

    def __init__(self, fake: FakeDiscord, sources: Path, rng: random.Random) -> None:
        self.fake, self.sources, self.rng = fake, sources, rng
        self.tally = Tally()
        self.edits = 0
        self.warm_rss = 0.0

    async def interaction(self, kind: str, ix: FakeInteraction) -> None:
        """Wait for an interaction to be answered; note its acknowledgement time."""
        try:
            await ix.wait_done(timeout=DONE_TIMEOUT, settle=0)
        except (AssertionError, TimeoutError) as exc:
            self.tally.failed.append(f"{kind}: {exc}")
            return
        if ix.acknowledged_in is not None:
            self.tally.acks.append(ix.acknowledged_in)
        if not ix.messages or not (ix.messages[-1].get("embeds") or ix.content):
            self.tally.failed.append(f"{kind}: no message ({ix.responses[-1:]})")
            return
        self.tally.answered += 1
        for message in self.fake.posted_messages[-20:]:
            if message.interaction_id == ix.id and message.payload.get("components"):
                self.tally.answers.append(message)

    async def ask(self) -> None:
        user = self.rng.choice(USERS)
        if self.rng.random() < 0.65:
            self.tally.count("/ask")
            ix = await self.fake.slash_command(
                "ask", {"question": self.rng.choice(QUESTIONS)}, user=user)
            await self.interaction("/ask", ix)
            return
        self.tally.count("/issue")
        options: dict[str, Any] = {}
        side = self.rng.choice(SIDES)
        if side:
            options["side"] = side
        ix = await self.fake.slash_command(self.rng.choice(ISSUES), options, user=user)
        await self.interaction("/issue", ix)

    async def message(self) -> None:
        self.tally.count("message")
        started = time.monotonic()
        sent = await self.fake.send_message(self.rng.choice(QUESTIONS), channel="answers",
                                            user=self.rng.choice(USERS))

        def replied() -> bool:
            return any(str((m.payload.get("message_reference") or {}).get("message_id"))
                       == sent["id"] for m in self.fake.posted_messages[-200:])

        try:
            await self.fake.wait_until(replied, DONE_TIMEOUT, "a reply")
        except TimeoutError as exc:
            self.tally.failed.append(f"message: {exc}")
            return
        self.tally.replies.append(time.monotonic() - started)
        self.tally.answered += 1

    async def click(self) -> None:
        if not self.tally.answers:
            return await self.ask()
        message = self.rng.choice(self.tally.answers)
        ids = [c["custom_id"] for row in message.payload["components"]
               for c in row["components"]]
        custom_id = self.rng.choice(ids)
        kind = "More" if ":more:" in custom_id else "vote"
        self.tally.count(kind)
        try:
            ix = await self.fake.click_button(message, custom_id, user=self.rng.choice(USERS))
        except KeyError:  # the fake forgot the message (trimmed): click another
            return await self.click()
        await self.interaction(kind, ix)

    def edit_sources(self) -> None:
        """Add, change or remove a small source (the watcher re-indexes)."""
        self.edits += 1
        folder = self.sources / "soak"
        folder.mkdir(exist_ok=True)
        path = folder / f"note-{self.edits % 4}.md"
        if self.edits % 5 == 0 and path.exists():
            path.unlink()
            return
        path.write_text(f"# Note {self.edits}\n\nThe harbour pilot {self.edits} counted "
                        f"{self.edits * 7} boats near Odesa at dawn.\n", encoding="utf-8")

    def trim_fake(self) -> None:
        """Forget the fake's old records, so that RSS measures the bot, not the fake's logs."""
        fake = self.fake
        del fake.requests[:-KEEP]
        del fake.posted_messages[:-KEEP]
        del fake.interactions[:-KEEP]
        del fake.gateway.buffer[:-KEEP]  # the RESUME replay buffer: the bot has seen the rest
        del fake.gateway.received[:-KEEP]
        keep = {ix.id for ix in fake.interactions}
        for ix_id in [i for i in fake.interactions_by_id if i not in keep]:
            token = fake.interactions_by_id.pop(ix_id).token
            fake.interactions_by_token.pop(token, None)
        recent = {int(m.id) for m in (*fake.posted_messages, *self.tally.answers)}
        for message_id in sorted(fake.world.messages)[:-2 * KEEP]:
            if message_id not in recent:
                del fake.world.messages[message_id]
        fake._read_cursor.clear()


async def run_soak(minutes: float, rate: float, seed: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="citebot-soak-"))
    sources = work / "sources"
    shutil.copytree(REPO / "sources", sources)
    fake = await FakeDiscord().start()
    restore = fake.point_discord_py_here()
    try:
        config = bot_config(fake, work, sources, log_level="WARNING")
        bot = make_bot(fake, config, watch=True)
        async with fake.run_bot(bot):
            return await drive(fake, Soak(fake, sources, random.Random(seed)), minutes, rate)
    finally:
        restore()
        await fake.stop()
        shutil.rmtree(work, ignore_errors=True)


async def drive(fake: FakeDiscord, soak: Soak, minutes: float, rate: float) -> int:
    """Send traffic for `minutes`; print a line a minute and the summary; the exit code."""
    gc.collect()
    start_rss = rss_mb()
    loop = asyncio.get_running_loop()
    started = loop.time()
    tasks: set[asyncio.Task[None]] = set()
    drops = 0
    next_minute, next_edit = 60.0, 20.0
    print(f"soak: {minutes:g} min at {rate:g} events/s; RSS at start {start_rss:.1f} MB",
          flush=True)
    while (elapsed := loop.time() - started) < minutes * 60:
        action = soak.rng.choices((soak.ask, soak.message, soak.click), (5, 2, 3))[0]
        task = asyncio.create_task(action())
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        if elapsed >= next_edit:
            soak.edit_sources()
            next_edit += 20.0
        if elapsed >= next_minute:
            await fake.drop_connection(DROPS[drops % len(DROPS)], timeout=10)
            drops += 1
            soak.trim_fake()
            gc.collect()
            soak.warm_rss = soak.warm_rss or rss_mb()
            print(f"  {next_minute / 60:.0f} min: answered {soak.tally.answered}, failed "
                  f"{len(soak.tally.failed)}, resumes {fake.resumes}, RSS {rss_mb():.1f} MB, "
                  f"Python objects {len(gc.get_objects())}", flush=True)
            next_minute += 60.0
        await asyncio.sleep(soak.rng.expovariate(rate))
    await asyncio.gather(*tasks)
    soak.trim_fake()
    gc.collect()
    return summary(soak, fake, drops, start_rss)


def summary(soak: Soak, fake: FakeDiscord, drops: int, start_rss: float) -> int:
    """Print the figures; 1 if anything failed."""
    tally = soak.tally
    acks, replies = tally.acks, tally.replies
    sent = ", ".join(f"{k} {v}" for k, v in sorted(tally.sent.items()))
    print(f"sent: {sent}; source edits {soak.edits}; gateway drops {drops} "
          f"(resumed {fake.resumes}, identified {fake.gateway.identifies})")
    print(f"answered {tally.answered} / failed {len(tally.failed)}")
    print(f"acknowledgement: p50 {percentile(acks, 50) * 1000:.0f} ms, "
          f"p99 {percentile(acks, 99) * 1000:.0f} ms, max {max(acks, default=0) * 1000:.0f} ms")
    print(f"message reply: p50 {percentile(replies, 50) * 1000:.0f} ms, "
          f"p99 {percentile(replies, 99) * 1000:.0f} ms")
    print(f"RSS: start {start_rss:.1f} MB, after the first minute {soak.warm_rss:.1f} MB, "
          f"end {rss_mb():.1f} MB")
    for line in tally.failed[:10] + fake.failures[:10]:
        print(f"  failure: {line}")
    return 1 if tally.failed or fake.failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=4.0, help="events a second")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    sys.exit(asyncio.run(run_soak(args.minutes, args.rate, args.seed)))


if __name__ == "__main__":
    main()
