"""/sources and /reindex: what is indexed, and rebuilding it on demand (admins only)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

import discord
from discord import app_commands
from discord.ext import commands

from ..render import cut, render_sources

if TYPE_CHECKING:
    from ..app import CitebotBot

log = logging.getLogger(__name__)


def is_admin(interaction: discord.Interaction) -> bool:
    """Whether the user has Administrator or one of the configured admin roles."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.administrator:
        return True
    bot = cast("CitebotBot", interaction.client)
    return any(role.id in bot.config.admin_roles for role in member.roles)


class Admin(commands.Cog):
    """Listing the sources and rebuilding the index."""

    def __init__(self, bot: CitebotBot) -> None:
        self.bot = bot

    @app_commands.command(name="sources")
    async def sources(self, interaction: discord.Interaction) -> None:
        """List the indexed sources: title, sentences, and when they were indexed."""
        snapshot = self.bot.engine.snapshot
        rendered = render_sources(self.bot.engine.sources(), snapshot.index.built_at)
        await interaction.response.send_message(embeds=rendered.embeds, ephemeral=True)

    @app_commands.command(name="reindex")
    @app_commands.guild_only()
    @app_commands.default_permissions(administrator=True)
    @app_commands.check(is_admin)
    async def reindex(self, interaction: discord.Interaction) -> None:
        """Rebuild the index from the sources folder now and report what changed."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        log.info("reindex requested by user %d", interaction.user.id)
        report = await self.bot.rebuild()
        verdict = "Index rebuilt" if report.changed_anything else "Index rebuilt; nothing changed"
        await interaction.followup.send(cut(f"{verdict}: {report.summary}", 2000), ephemeral=True)


async def setup(bot: CitebotBot) -> None:
    """Load the cog."""
    await bot.add_cog(Admin(bot))
