"""Asking the engine off the event loop, packaging answers with their buttons, and the buttons."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from typing import TYPE_CHECKING, Any, cast

import discord

from index.errors import UsageError
from index.models import Answer

from ..render import Rendered, cut, render_answer

if TYPE_CHECKING:
    from ..app import CitebotBot

MAX_TOP = 25
# Discord mention syntax (users, roles, channels, @everyone/@here): not words of a question.
MENTION_SYNTAX = re.compile(r"<(?:@[!&]?|#)[0-9]+>|@(?:everyone|here)\b")


class Cooldown:
    """A per-user cooldown: at most one question every `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """Return seconds left to wait, or 0.0 (and start a new period) if the user may ask."""
        now = time.monotonic()
        left = self._last.get(user_id, -1e9) + self.seconds - now
        if left > 0:
            return left
        self._last[user_id] = now
        if len(self._last) > 10_000:  # forget users whose period is long over
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
        return 0.0


def cooldown_notice(seconds: float) -> str:
    """Word the cooldown politely."""
    return f"Please wait {max(1, round(seconds))} s before asking again — thanks for your patience."


def without_mentions(question: str) -> str:
    """The question without Discord mention syntax, which would only count as unknown words."""
    return " ".join(MENTION_SYNTAX.sub(" ", question).split())


def prepare(question: str, limit: int) -> tuple[str, str]:
    """Return the question (mentions removed, cut to `limit` characters), and a notice if cut."""
    text = without_mentions(question)
    if len(text) <= limit:
        return text, ""
    return (cut(text, limit),
            f"Your question was long, so I used only its first {limit} characters.")


def issue_kind(key: str, side: str | None) -> str:
    """Encode an issue query as a stored kind."""
    return f"issue:{key}:{side}" if side else f"issue:{key}"


async def run_query(bot: CitebotBot, kind: str, question: str, source: str | None,
                    top: int) -> Answer:
    """Ask the engine in a worker thread: a plain question or one sticking point."""
    if kind == "ask":
        return await asyncio.to_thread(bot.engine.ask, question, top=top, source=source)
    _, key, *rest = kind.split(":")
    side = rest[0] if rest else None
    return await asyncio.to_thread(bot.engine.ask_issue, key, side=side, question=question,
                                   top=top)


async def package(bot: CitebotBot, kind: str, question: str, source: str | None, answer: Answer,
                  *, top: int, skip: int = 0, notice: str = "") -> dict[str, Any]:
    """Render an answer and, when it has passages, attach More and feedback buttons."""
    shown_question = dataclasses.replace(answer, question=display_question(bot, kind, question))
    rendered = render_answer(shown_question, skip=skip, notice=notice,
                             title_prefix="Q: " if kind == "ask" else "")
    shown = answer.passages[skip:]
    view = None
    if answer.answered and shown:
        ids = [p.sentence_ids[p.match_offset] for p in shown]
        asked_id = await bot.feedback.arecord_asked(kind, question, source, len(answer.passages),
                                                    ids)
        view = answer_view(asked_id, more=len(answer.passages) >= top and top < MAX_TOP)
    return send_kwargs(rendered, view)


def display_question(bot: CitebotBot, kind: str, question: str) -> str:
    """Return the question as shown: for a sticking point, its title (and the narrowing words)."""
    if kind == "ask":
        return question
    try:
        title = bot.engine.snapshot.topics.issue(kind.split(":")[1]).title
    except UsageError:
        title = kind.split(":")[1]
    return f"{title}: {question}" if question else title


def send_kwargs(rendered: Rendered, view: discord.ui.View | None) -> dict[str, Any]:
    """Keyword arguments for `send`/`reply`, leaving out what is empty."""
    kwargs: dict[str, Any] = {"embeds": rendered.embeds,
                              "allowed_mentions": discord.AllowedMentions.none()}
    if rendered.content:
        kwargs["content"] = rendered.content
    if view is not None:
        kwargs["view"] = view
    return kwargs


def answer_view(asked_id: int, *, more: bool) -> discord.ui.View:
    """The buttons under an answer: More (when there may be more) and 👍 / 👎."""
    view = discord.ui.View(timeout=None)
    if more:
        view.add_item(MoreButton(asked_id))
    view.add_item(FeedbackButton(asked_id, "up"))
    view.add_item(FeedbackButton(asked_id, "down"))
    return view


class MoreButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"citebot:more:(?P<id>[0-9]+)"):
    """Show the next passages for the same question (works after restarts)."""

    def __init__(self, asked_id: int) -> None:
        super().__init__(discord.ui.Button(label="More", style=discord.ButtonStyle.secondary,
                                           custom_id=f"citebot:more:{asked_id}"))
        self.asked_id = asked_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> MoreButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Ask again with a larger `top` and post the passages not yet shown."""
        bot = cast("CitebotBot", interaction.client)
        asked = await bot.feedback.aasked(self.asked_id)
        if asked is None:
            await interaction.response.send_message("I no longer have that question.",
                                                    ephemeral=True)
            return
        await interaction.response.defer(thinking=True)
        top = min(MAX_TOP, asked.shown + bot.config.results_per_answer)
        answer = await run_query(bot, asked.kind, asked.question, asked.source, top)
        await interaction.followup.send(**await package(
            bot, asked.kind, asked.question, asked.source, answer, top=top, skip=asked.shown))


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"citebot:vote:(?P<vote>up|down):(?P<id>[0-9]+)"):
    """A 👍 or 👎 on an answer, stored with the question and the passages shown."""

    def __init__(self, asked_id: int, vote: str) -> None:
        super().__init__(discord.ui.Button(emoji="👍" if vote == "up" else "👎",
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"citebot:vote:{vote}:{asked_id}"))
        self.asked_id = asked_id
        self.vote = vote

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> FeedbackButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["id"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Store the vote and thank the voter privately."""
        bot = cast("CitebotBot", interaction.client)
        asked = await bot.feedback.aasked(self.asked_id)
        if asked is not None:
            await bot.feedback.avote(asked.question, asked.passage_ids,
                                     1 if self.vote == "up" else -1)
        await interaction.response.send_message("Thanks for the feedback!", ephemeral=True)
