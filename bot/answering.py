"""The answering every feature shares: a typed request in, what to send out.

`answer(bot, request)` asks the engine off the event loop, renders the answer within Discord's
limits and attaches its buttons (More, 👍 / 👎). `respond(interaction, request)` does the whole
interaction: check, defer, answer, send, and end in a message whatever happens.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

import discord

from index.continuation import continued
from index.errors import UnknownSourceError, UsageError
from index.models import Answer

from .cooldowns import cooldown_notice
from .feedback import Asked
from .render import Rendered, cut, escape, render_answer
from .requests import AskRequest, IssueRequest, Request

if TYPE_CHECKING:
    from .app import CitebotBot

log = logging.getLogger(__name__)
MAX_TOP = 25
MORE_ID = "citebot:more:{id}"
VOTE_ID = "citebot:vote:{vote}:{id}"
FOLLOW_ID = "citebot:follow:{id}"
READING_MAX = 300  # the "Reading this as" line stays short
SORRY = "Sorry, something went wrong while answering. It has been logged."
# Discord mention syntax (users, roles, channels, @everyone/@here): not words of a question.
WAIT_REACTION = "⏳"  # a member asked again within the cooldown
MENTION_SYNTAX = re.compile(r"<(?:@[!&]?|#)[0-9]+>|@(?:everyone|here)\b")
# Autocomplete values are at most 100 characters: a longer source id travels as its hash.
LONG_ID = re.compile(r"^~([0-9a-f]{16})$")


@dataclass(frozen=True, kw_only=True)
class Reply:
    """What to send for an answer: the rendered message and its buttons (if any)."""

    rendered: Rendered
    view: discord.ui.View | None = None
    result: Answer | None = None  # what the engine said (conversations remember what was shown)

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `send`/`reply`/`followup.send`, leaving out what is empty."""
        kwargs: dict[str, Any] = {"embeds": self.rendered.embeds,
                                  "allowed_mentions": discord.AllowedMentions.none()}
        if self.rendered.content:
            kwargs["content"] = self.rendered.content
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


def without_mentions(question: str) -> str:
    """The question without Discord mention syntax, which would only count as unknown words."""
    return " ".join(MENTION_SYNTAX.sub(" ", question).split())


async def react(message: discord.Message, emoji: str) -> None:
    """Add a reaction, if Discord lets us (a missing permission is only logged)."""
    try:
        await message.add_reaction(emoji)
    except discord.HTTPException as exc:
        log.info("could not react to message %d: %s", message.id, exc)


async def reply_to(message: discord.Message, **kwargs: Any) -> discord.Message | None:
    """Reply to a member's message; None (and one log line) where the bot may not post.

    A channel the bot can read but not write in, or a question deleted before its answer, is
    how the server is set up, not a bug: no traceback for it.
    """
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    try:
        return await message.reply(mention_author=False, **kwargs)
    except (discord.Forbidden, discord.NotFound) as exc:
        log.warning("cannot post in channel %d (%s); message %d not answered",
                    message.channel.id, exc, message.id)
        return None


def prepare(question: str, limit: int) -> tuple[str, str]:
    """Return the question (mentions removed, cut to `limit` characters), and a notice if cut."""
    text = without_mentions(question)
    if len(text) <= limit:
        return text, ""
    return (cut(text, limit),
            f"Your question was long, so I used only its first {limit} characters.")


def source_choice_value(source_id: str) -> str:
    """The autocomplete value for a source: its id, or `~hash` when the id is over 100 chars."""
    if len(source_id) <= 100:
        return source_id
    return "~" + hashlib.sha256(source_id.encode()).hexdigest()[:16]


def source_choices(bot: CitebotBot, current: str) -> list[discord.app_commands.Choice[str]]:
    """Indexed sources whose id or title contains what was typed (at most 25), for autocomplete."""
    needle = current.lower()
    return [discord.app_commands.Choice(name=cut(f"{s.title} ({s.source_id})", 100),
                                        value=source_choice_value(s.source_id))
            for s in bot.engine.sources()
            if needle in s.source_id.lower() or needle in s.title.lower()][:25]


def resolve_source(bot: CitebotBot, value: str | None) -> str | None:
    """The source id a `source` option names (an id, or the `~hash` of a long one)."""
    if not value:
        return None
    if LONG_ID.match(value):
        for info in bot.engine.sources():
            if source_choice_value(info.source_id) == value:
                return info.source_id
    return value


def check(bot: CitebotBot, request: Request) -> None:
    """Raise UsageError for what can be known wrong before answering (unknown source, issue …)."""
    topics = bot.engine.snapshot.topics
    if isinstance(request, IssueRequest):
        topics.issue(request.key)
        if request.side:
            topics.party(request.side)
    elif request.source is not None and bot.engine.snapshot.index.source_index(
            request.source) is None:
        raise UnknownSourceError(f"no source {request.source!r} is indexed; /sources lists them")


async def ask_engine(bot: CitebotBot, request: Request, top: int) -> Answer:
    """Ask the engine in a worker thread (the event loop keeps serving meanwhile)."""
    return await asyncio.to_thread(_asking(bot, request), top)


def _asking(bot: CitebotBot, request: Request) -> Callable[[int], Answer]:
    """The engine call that answers a request, given how many passages (blocking)."""
    engine = bot.engine
    if isinstance(request, AskRequest):
        ask = request  # narrowed, for the closures
        if ask.history:  # a follow-up
            return lambda top: engine.ask_turn(ask.question, ask.history, top=top,
                                               source=ask.source)
        return lambda top: engine.ask(ask.question, top=top, source=ask.source)
    issue = request
    return lambda top: engine.ask_issue(issue.key, side=issue.side, question=issue.question,
                                        top=top)


async def answer(bot: CitebotBot, request: Request, *, top: int | None = None, skip: int = 0,
                 notice: str = "", in_thread: bool = False) -> Reply:
    """Answer a request: the passages after the first `skip`, with buttons; UsageError if bad."""
    top = top or bot.config.results_per_answer
    if skip:  # More: the passages after those shown, none of them twice (index/continuation)
        result = await asyncio.to_thread(continued, _asking(bot, request), shown=skip,
                                         step=bot.config.results_per_answer)
    else:
        result = await ask_engine(bot, request, top)
    if result.understood_as:  # a follow-up says how it was read, above the passages
        reading = cut(f"Reading this as: {escape(result.understood_as)}", READING_MAX)
        notice = f"{reading}\n{notice}" if notice else reading
    shown = replace(result, question=display_question(bot, request))
    rendered = render_answer(shown, skip=skip, notice=notice,
                             title_prefix="Q: " if isinstance(request, AskRequest) else "")
    if not (result.answered and result.passages[skip:]):
        return Reply(rendered=rendered, result=result)
    asked = Asked(id=bot.feedback.new_id(), request=request, shown=len(result.passages),
                  passages=tuple(p.key for p in result.passages[skip:]), created_at=time.time())
    bot.feedback.remember(asked)  # written in the background: the answer never waits for it
    more = len(result.passages) >= top and top < MAX_TOP
    follow = bot.config.follow_up_minutes > 0 and not in_thread
    return Reply(rendered=rendered, view=answer_view(asked.id, more=more, follow=follow),
                 result=result)


def display_question(bot: CitebotBot, request: Request) -> str:
    """The question as shown: for a sticking point, its title (and the narrowing words)."""
    if isinstance(request, AskRequest):
        return request.question
    try:
        title = bot.engine.snapshot.topics.issue(request.key).title
    except UsageError:
        title = request.key
    return f"{title}: {request.question}" if request.question else title


def answer_view(asked_id: int, *, more: bool, follow: bool = False) -> discord.ui.View:
    """The buttons under an answer: More (when there may be more), Follow up, and 👍 / 👎."""
    view = discord.ui.View(timeout=None)
    if more:
        view.add_item(discord.ui.Button(label="More", style=discord.ButtonStyle.secondary,
                                        custom_id=MORE_ID.format(id=asked_id)))
    if follow:
        view.add_item(discord.ui.Button(label="Follow up", style=discord.ButtonStyle.secondary,
                                        custom_id=FOLLOW_ID.format(id=asked_id)))
    for vote, emoji in (("up", "👍"), ("down", "👎")):
        view.add_item(discord.ui.Button(emoji=emoji, style=discord.ButtonStyle.secondary,
                                        custom_id=VOTE_ID.format(vote=vote, id=asked_id)))
    # Clicks are handled by custom id (bot/buttons.py); a live view would be kept by discord.py
    # for every answer ever sent, so the view is only a layout: stopped before it is sent.
    view.stop()
    return view


async def respond(interaction: discord.Interaction, request: Request, *,
                  cooldown: Callable[[int], float] | None = None, top: int | None = None,
                  skip: int = 0, notice: str = "") -> None:
    """Check, apply the member's `cooldown`, defer, answer, send; always ends in a message.

    Mistakes found before deferring and cooldown notices are private (ephemeral).
    """
    bot = cast("CitebotBot", interaction.client)
    try:
        check(bot, request)
    except UsageError as exc:
        await send_private(interaction, str(exc))
        return
    wait = cooldown(interaction.user.id) if cooldown is not None else 0.0
    if wait:
        await send_private(interaction, cooldown_notice(wait))
        return
    await interaction.response.defer(thinking=True)
    try:
        reply = await answer(bot, request, top=top, skip=skip, notice=notice,
                             in_thread=isinstance(interaction.channel, discord.Thread))
    except UsageError as exc:  # e.g. the source was removed between the check and the answer
        await end_with(interaction, str(exc))
        return
    except Exception:
        log.error("answering %r failed", request, exc_info=True)
        await end_with(interaction, SORRY)
        return
    sent = await interaction.followup.send(**reply.send_kwargs(), wait=True)
    if skip == 0:  # a new answer (not More): conversations take it as a turn
        bot.dispatch("answer_sent", sent, request, reply.result)


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """Send a short ephemeral message, as a response or a follow-up as the state requires."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(cut(text, 2000), ephemeral=True)
        else:
            await interaction.response.send_message(cut(text, 2000), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


async def end_with(interaction: discord.Interaction, text: str) -> None:
    """Replace the "thinking…" of a deferred response with `text` (a new message if that fails)."""
    try:
        await interaction.edit_original_response(content=cut(text, 2000), embeds=[], view=None,
                                                 allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException:
        await send_private(interaction, text)
