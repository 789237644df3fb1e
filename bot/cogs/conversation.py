"""Follow-up questions on Discord: a conversation per thread or per chain of replies.

Every answer the bot sends starts or continues a conversation (the `answer_sent` event): in a
thread, the thread's; elsewhere, a reply chain named by the answer. A message in such a thread,
or a reply to such an answer, is the next turn (no mention needed); `/ask` in the thread too. The
**Follow up** button opens a thread on an answer. State: `bot.conversations` (SQLite).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

import discord
from discord.ext import commands

from index.conversation import Turn, next_turn
from index.errors import UsageError
from index.models import Answer

from ..answering import (
    FOLLOW_ID,
    SORRY,
    WAIT_REACTION,
    answer,
    prepare,
    react,
    reply_to,
    send_private,
    without_mentions,
)
from ..buttons import stored_question
from ..conversations import ConversationStore, chain_conversation, thread_conversation
from ..render import cut
from ..requests import AskRequest, IssueRequest, Request

if TYPE_CHECKING:
    from ..app import CitebotBot

log = logging.getLogger(__name__)
THREAD_HINT = "Ask your follow-up questions here: every message in this thread is read with " \
              "the conversation so far, no mention needed."
FOLLOW_UPS_OFF = "Follow-up questions are turned off on this server: ask anew with /ask."
NO_THREAD = "I can't open a thread here (it needs the Create Public Threads permission): reply " \
            "to my answer instead to follow up."


def _enabled(bot: CitebotBot) -> bool:
    """Whether follow-ups are on (follow_up_minutes > 0)."""
    return bot.config.follow_up_minutes > 0


def _turn_of(request: Request, result: Answer | None, history: list[Turn]) -> Turn:
    """The turn an answered request adds: an issue command sets the topic and the party."""
    if isinstance(request, IssueRequest):
        shown = tuple(p.key for p in result.passages) if result else ()
        return Turn(question=request.question, issue=request.key, side=request.side,
                    shown=shown)
    if result is None:
        return Turn(question=request.question)
    return next_turn(history, request.question, result)


async def thread_history(bot: CitebotBot, channel: object) -> tuple[Turn, ...]:
    """The conversation of a thread (for `/ask` inside it); none elsewhere or when over."""
    if not _enabled(bot) or not isinstance(channel, discord.Thread):
        return ()
    return tuple(await bot.conversations.ahistory(thread_conversation(channel.id)))


def _where(channel: object) -> tuple[int, int | None]:
    """(channel id, thread id): a thread's parent channel and the thread, or the channel."""
    if isinstance(channel, discord.Thread):
        return channel.parent_id, channel.id
    return getattr(channel, "id", 0), None


async def take_turn(bot: CitebotBot, message: discord.Message) -> bool:
    """Answer a message that continues a conversation; False when it is not such a message."""
    me = bot.user
    if not _enabled(bot) or me is None or message.author.bot:
        return False
    store: ConversationStore = bot.conversations
    key = None
    if isinstance(message.channel, discord.Thread):
        key = thread_conversation(message.channel.id)
    elif message.reference is not None and message.reference.message_id is not None:
        key = await store.aconversation_of_answer(message.reference.message_id)
    history = await store.ahistory(key) if key else []
    mentioned = any(u.id == me.id for u in message.mentions)
    others = any(u.id != me.id for u in message.mentions if not _replied_to(message, u.id))
    question = without_mentions(message.content)  # the bot's mention included
    if not history or not question or (others and not mentioned) or message.role_mentions:
        return False
    if bot.cooldowns.question_wait(message.author.id):
        if bot.cooldowns.may_notify(message.author.id):
            await react(message, WAIT_REACTION)
        return True
    text, notice = prepare(question, bot.config.max_question_chars)
    thread = isinstance(message.channel, discord.Thread)
    try:
        reply = await answer(bot, AskRequest(question=text, history=tuple(history)),
                             notice=notice, in_thread=thread)
    except UsageError as exc:
        await reply_to(message, content=cut(str(exc), 2000))
        return True
    except Exception:
        log.error("answering follow-up %d failed", message.id, exc_info=True)
        await reply_to(message, content=SORRY)
        return True
    sent = await reply_to(message, **reply.send_kwargs())
    if sent is None:  # not posted: no turn to remember
        return True
    channel_id, thread_id = _where(message.channel)
    await store.aadd_turn(key or "", _turn_of(AskRequest(question=text), reply.result, history),
                          channel_id=channel_id, thread_id=thread_id, answer_message_id=sent.id)
    return True


def _replied_to(message: discord.Message, user_id: int) -> bool:
    """Whether the user is mentioned only because the message replies to them (Discord's ping)."""
    resolved = message.reference.resolved if message.reference else None
    return isinstance(resolved, discord.Message) and resolved.author.id == user_id


class Conversation(commands.Cog):
    """Keeps every answer's conversation so that replies and thread messages continue it."""

    def __init__(self, bot: CitebotBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_answer_sent(self, sent: discord.Message | None, request: Request,
                             result: Answer | None) -> None:
        """Remember an answer as a turn: of its thread's conversation, or a new reply chain."""
        if not _enabled(self.bot) or sent is None:
            return
        # An interaction's follow-up message knows its channel only by id: look the thread up.
        channel = self.bot.get_channel(sent.channel.id) or sent.channel
        channel_id, thread_id = _where(channel)
        key = thread_conversation(thread_id) if thread_id else chain_conversation(sent.id)
        history = await self.bot.conversations.ahistory(key) if thread_id else []
        await self.bot.conversations.aadd_turn(key, _turn_of(request, result, history),
                                               channel_id=channel_id, thread_id=thread_id,
                                               answer_message_id=sent.id)


class FollowUpButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"citebot:follow:(?P<id>[0-9]+)"):
    """Open a thread on an answer, named after its question, for follow-up questions."""

    def __init__(self, asked_id: int) -> None:
        super().__init__(discord.ui.Button(label="Follow up",
                                           custom_id=FOLLOW_ID.format(id=asked_id)))
        self.asked_id = asked_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> FollowUpButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Start (or point to) the answer's thread and seed its conversation with the question."""
        bot = cast("CitebotBot", interaction.client)
        if not _enabled(bot):  # a button from before follow_up_minutes was set to 0
            await send_private(interaction, FOLLOW_UPS_OFF)
            return
        message = interaction.message
        if message is None or not isinstance(interaction.channel, discord.TextChannel):
            await send_private(interaction, "Follow-up threads can be opened in text channels.")
            return
        asked = await stored_question(interaction, self.asked_id)
        if asked is None:
            return
        await interaction.response.defer()
        try:
            thread, new = await _thread_on(message, asked.request)
        except discord.HTTPException as exc:  # e.g. no Create Public Threads permission here
            log.warning("could not open a follow-up thread on %d: %s", message.id, exc)
            await interaction.followup.send(NO_THREAD, ephemeral=True)
            return
        if not new:  # a second click, or another member's: the conversation is already there
            await interaction.followup.send(f"Follow up here: {thread.mention}", ephemeral=True)
            return
        prior = list(asked.request.history) if isinstance(asked.request, AskRequest) else []
        turn = _turn_of(asked.request, None, prior)
        for earlier in [*prior, replace(turn, shown=asked.passages)]:
            await bot.conversations.aadd_turn(thread_conversation(thread.id), earlier,
                                              channel_id=interaction.channel.id,
                                              thread_id=thread.id)
        await thread.send(THREAD_HINT, allowed_mentions=discord.AllowedMentions.none())


async def _thread_on(message: discord.Message, request: Request) -> tuple[discord.Thread, bool]:
    """The thread on an answer message, and whether it is new (named after the question)."""
    if message.thread is not None:
        return message.thread, False
    title = request.question if isinstance(request, AskRequest) else request.key
    name = cut(" ".join(title.split()), 100) or "Follow-up"
    try:
        return await message.create_thread(name=name), True
    except discord.HTTPException as exc:
        if exc.code != 160004:  # not "a thread has already been created for this message"
            raise
        channel = await message.guild.fetch_channel(message.id)  # type: ignore[union-attr]
        return cast(discord.Thread, channel), False


async def setup(bot: CitebotBot) -> None:
    """Load the cog."""
    await bot.add_cog(Conversation(bot))
