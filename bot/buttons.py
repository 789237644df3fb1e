"""The buttons under an answer, handled by custom id so that they work after restarts too."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from .answering import MAX_TOP, MORE_ID, SORRY, VOTE_ID, respond, send_private
from .feedback import Asked, StoreUnavailableError, Vote, voter_hash

if TYPE_CHECKING:
    from .app import CitebotBot

log = logging.getLogger(__name__)
GONE = "I no longer have that question (answers are kept for a limited time): please ask again."
BUSY = "I can't look that question up just now: please try again in a moment."
VOTES_OFF = "Thanks! Votes can't be saved just now, sorry."


async def stored_question(interaction: discord.Interaction, asked_id: int) -> Asked | None:
    """The stored question behind a button; tells the member (privately) when there is none."""
    bot = cast("CitebotBot", interaction.client)
    try:
        asked = await bot.feedback.lookup(asked_id)
    except StoreUnavailableError as exc:
        log.warning("button on answer %d: feedback store unavailable (%s)", asked_id, exc)
        await send_private(interaction, BUSY)
        return None
    if asked is None:
        await send_private(interaction, GONE)
    return asked


class MoreButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"citebot:more:(?P<id>[0-9]+)"):
    """Show the next passages for the same question."""

    def __init__(self, asked_id: int) -> None:
        super().__init__(discord.ui.Button(label="More", custom_id=MORE_ID.format(id=asked_id)))
        self.asked_id = asked_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> MoreButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Ask again with a larger `top` and post the passages not yet shown (rate-limited)."""
        bot = cast("CitebotBot", interaction.client)
        asked = await stored_question(interaction, self.asked_id)
        if asked is None:
            return
        top = min(MAX_TOP, asked.shown + bot.config.results_per_answer)
        await respond(interaction, asked.request, cooldown=bot.cooldowns.more_wait, top=top,
                      skip=asked.shown)


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                     template=r"citebot:vote:(?P<vote>up|down):(?P<id>[0-9]+)"):
    """A 👍 or 👎: one per member per answer (a second click changes it)."""

    def __init__(self, asked_id: int, vote: str) -> None:
        super().__init__(discord.ui.Button(emoji="👍" if vote == "up" else "👎",
                                           custom_id=VOTE_ID.format(vote=vote, id=asked_id)))
        self.asked_id = asked_id
        self.vote = vote

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> FeedbackButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["id"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Keep the vote (written in the background) and thank the voter privately."""
        bot = cast("CitebotBot", interaction.client)
        try:
            asked = await stored_question(interaction, self.asked_id)
            if asked is None:
                return
            vote = Vote(asked=asked, voter=voter_hash(asked.id, interaction.user.id),
                        vote=1 if self.vote == "up" else -1)
            kept = bot.feedback.vote(vote)
        except Exception:
            log.error("vote on answer %d failed", self.asked_id, exc_info=True)
            await send_private(interaction, SORRY)
            return
        await send_private(interaction, "Thanks for the feedback!" if kept else VOTES_OFF)
