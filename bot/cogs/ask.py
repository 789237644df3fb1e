"""/ask, mentions and answer channels: questions in, cited answers out."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from index.errors import UsageError

from ..answering import (
    SORRY,
    WAIT_REACTION,
    Reply,
    answer,
    prepare,
    react,
    reply_to,
    resolve_source,
    respond,
    source_choices,
    without_mentions,
)
from ..render import cut
from ..requests import AskRequest
from .conversation import take_turn, thread_history

if TYPE_CHECKING:
    from ..app import CitebotBot

log = logging.getLogger(__name__)
EMPTY_HINT = "Ask me a question after the mention, for example: “who runs the nuclear plant?”"


def talks_to_others(message: discord.Message, me: int) -> bool:
    """Whether a message addresses other people (members, roles, everyone) and not the bot."""
    others = any(u.id != me for u in message.mentions) or bool(message.role_mentions)
    return (others or message.mention_everyone) and all(u.id != me for u in message.mentions)


class Ask(commands.Cog):
    """Questions by slash command, by mention, and in answer channels."""

    def __init__(self, bot: CitebotBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask")
    @app_commands.describe(question="What you want to know",
                           source="Only quote this source")
    async def ask(self, interaction: discord.Interaction, question: str,
                  source: str | None = None) -> None:
        """Ask a question; the answer quotes the sources, with citations."""
        text, notice = prepare(question, self.bot.config.max_question_chars)
        request = AskRequest(question=text, source=resolve_source(self.bot, source),
                             history=await thread_history(self.bot, interaction.channel))
        await respond(interaction, request, cooldown=self.bot.cooldowns.question_wait,
                      notice=notice)

    @ask.autocomplete("source")
    async def source_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[str]]:
        """Suggest indexed sources whose id or title contains what was typed."""
        return source_choices(self.bot, current)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer a message in an answer channel, or one that mentions the bot."""
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if await take_turn(self.bot, message):  # a follow-up in a thread or a reply chain
            return
        mentioned = any(u.id == me.id for u in message.mentions)
        if not mentioned and (message.channel.id not in self.bot.config.answer_channels
                              or talks_to_others(message, me.id)):
            return
        if self.bot.cooldowns.question_wait(message.author.id):
            if self.bot.cooldowns.may_notify(message.author.id):
                await react(message, WAIT_REACTION)  # once a window; no flood of notices
            return
        question = without_mentions(message.content)  # the bot's mention included
        if not question:
            await self._reply(message, {"content": EMPTY_HINT}, "")
            return
        await self._answer_message(message, question)

    async def _answer_message(self, message: discord.Message, question: str) -> None:
        """Answer a message's question by reply (or in a new thread)."""
        text, notice = prepare(question, self.bot.config.max_question_chars)
        try:
            reply: Reply = await answer(self.bot, AskRequest(question=text), notice=notice)
        except UsageError as exc:
            await self._reply(message, {"content": cut(str(exc), 2000)}, "")
            return
        except Exception:
            log.error("answering message %d failed", message.id, exc_info=True)
            await self._reply(message, {"content": SORRY}, "")
            return
        sent = await self._reply(message, reply.send_kwargs(), text)
        self.bot.dispatch("answer_sent", sent, AskRequest(question=text), reply.result)

    async def _reply(self, message: discord.Message, kwargs: dict[str, Any],
                     title: str) -> discord.Message | None:
        """Reply to a message, or post in a thread on it when configured and possible."""
        kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
        in_thread = (self.bot.config.reply_in_thread and title
                     and isinstance(message.channel, discord.TextChannel))
        if in_thread:
            name = cut(" ".join(title.split()), 100) or "Answer"
            try:
                thread = await message.create_thread(name=name)
            except discord.HTTPException as exc:  # no Create Public Threads here: reply instead
                log.info("could not open a thread on message %d (%s); replying", message.id, exc)
            else:
                return await thread.send(**kwargs)
        return await reply_to(message, **kwargs)


async def setup(bot: CitebotBot) -> None:
    """Load the cog."""
    await bot.add_cog(Ask(bot))
