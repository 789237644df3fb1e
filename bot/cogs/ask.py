"""/ask, mentions and answer channels: questions in, cited answers out."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from index.errors import UsageError

from ..render import cut
from .answers import Cooldown, cooldown_notice, package, prepare, run_query, without_mentions

if TYPE_CHECKING:
    from ..app import CitebotBot

log = logging.getLogger(__name__)
EMPTY_HINT = "Ask me a question after the mention, for example: “who runs the nuclear plant?”"


def strip_mentions(content: str, user_id: int) -> str:
    """Remove mentions of the bot from a message's text."""
    return re.sub(rf"<@!?{user_id}>", " ", content).strip()


class Ask(commands.Cog):
    """Questions by slash command, by mention, and in answer channels."""

    def __init__(self, bot: CitebotBot) -> None:
        self.bot = bot
        self.cooldown = Cooldown(bot.config.cooldown_seconds)

    @app_commands.command(name="ask")
    @app_commands.describe(question="What you want to know",
                           source="Only quote this source")
    async def ask(self, interaction: discord.Interaction, question: str,
                  source: str | None = None) -> None:
        """Ask a question; the answer quotes the sources, with citations."""
        wait = self.cooldown.retry_after(interaction.user.id)
        if wait:
            await interaction.response.send_message(cooldown_notice(wait), ephemeral=True)
            return
        await interaction.response.defer(thinking=True)
        text, notice = prepare(question, self.bot.config.max_question_chars)
        top = self.bot.config.results_per_answer
        answer = await run_query(self.bot, "ask", text, source or None, top)
        await interaction.followup.send(**await package(
            self.bot, "ask", text, source or None, answer, top=top, notice=notice))

    @ask.autocomplete("source")
    async def source_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[str]]:
        """Suggest indexed sources whose id or title contains what was typed."""
        needle = current.lower()
        return [app_commands.Choice(name=cut(f"{s.title} ({s.source_id})", 100),
                                    value=s.source_id[:100])
                for s in self.bot.engine.sources()
                if needle in s.source_id.lower() or needle in s.title.lower()][:25]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer a message in an answer channel, or one that mentions the bot."""
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        mentioned = any(u.id == me.id for u in message.mentions)
        if not mentioned and message.channel.id not in self.bot.config.answer_channels:
            return
        question = without_mentions(strip_mentions(message.content, me.id))
        if not question:
            await self._reply(message, {"content": EMPTY_HINT}, "")
            return
        wait = self.cooldown.retry_after(message.author.id)
        if wait:
            await self._reply(message, {"content": cooldown_notice(wait)}, "", delete_after=10)
            return
        await self._answer_message(message, question)

    async def _answer_message(self, message: discord.Message, question: str) -> None:
        """Answer a message's question by reply (or in a new thread)."""
        text, notice = prepare(question, self.bot.config.max_question_chars)
        top = self.bot.config.results_per_answer
        try:
            answer = await run_query(self.bot, "ask", text, None, top)
        except UsageError as exc:
            await self._reply(message, {"content": cut(str(exc), 2000)}, "")
            return
        kwargs = await package(self.bot, "ask", text, None, answer, top=top, notice=notice)
        await self._reply(message, kwargs, text)

    async def _reply(self, message: discord.Message, kwargs: dict[str, object], title: str,
                     *, delete_after: float | None = None) -> None:
        """Reply to a message, or post in a thread on it when configured and possible."""
        kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
        in_thread = (self.bot.config.reply_in_thread and title
                     and isinstance(message.channel, discord.TextChannel))
        if in_thread:
            name = cut(" ".join(title.split()), 100) or "Answer"
            thread = await message.create_thread(name=name)
            await thread.send(**kwargs)  # type: ignore[arg-type]
            return
        await message.reply(mention_author=False, delete_after=delete_after,
                            **kwargs)  # type: ignore[arg-type]


async def setup(bot: CitebotBot) -> None:
    """Load the cog."""
    await bot.add_cog(Ask(bot))
