"""/add and /remove (administrators only): articles in from a link or a file, and out again."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from index import ingest
from index.errors import AddSourceError
from index.fetch import FetchPolicy

from ..answering import resolve_source, source_choices
from ..render import _SAFE_URL, DESCRIPTION_MAX, TITLE_MAX, Rendered, cut, escape
from .admin import is_admin

if TYPE_CHECKING:
    from ..app import CitebotBot

log = logging.getLogger(__name__)
_PREVIEW_CHARS = 700


def render_added(added: ingest.Added) -> Rendered:
    """The preview of an added article: title (linked), outlet, date, first paragraph, counts."""
    extraction = added.extraction
    article, document = extraction.article, extraction.document
    embed = discord.Embed(title=cut(escape(document.title), TITLE_MAX),
                          description=cut(escape(extraction.first_paragraph),
                                          min(_PREVIEW_CHARS, DESCRIPTION_MAX)),
                          colour=discord.Colour.green())
    if article.url and _SAFE_URL.match(article.url):
        embed.url = article.url
    embed.add_field(name="Outlet", value=cut(escape(article.publisher or "unknown"), 200))
    embed.add_field(name="Published", value=escape(article.published or "unknown")[:40])
    embed.add_field(name="Text", value=f"{extraction.paragraphs} paragraphs, "
                                       f"{document.sentence_count} sentences")
    embed.add_field(name="Source id", value=cut(f"`{extraction.source_id}`", 300), inline=False)
    embed.set_footer(text=cut(f"Index: {added.report.sources} sources, "
                              f"{added.report.sentences} sentences; searchable now", 200))
    return Rendered(content="Added a source:", embeds=[embed])


class Sources(commands.Cog):
    """Adding and removing sources from Discord."""

    def __init__(self, bot: CitebotBot) -> None:
        self.bot = bot

    @app_commands.command(name="add")
    @app_commands.guild_only()
    @app_commands.default_permissions(administrator=True)
    @app_commands.check(is_admin)
    @app_commands.describe(url="A link to the article (http or https)",
                           file="A saved web page (.html), Markdown (.md) or text (.txt) file")
    async def add(self, interaction: discord.Interaction, url: str | None = None,
                  file: discord.Attachment | None = None) -> None:
        """Add an article as a source, from a link or a file; it is searchable right after."""
        if (url is None) == (file is None):
            await interaction.response.send_message(
                "Give exactly one of `url` or `file`.", ephemeral=True)
            return
        await interaction.response.defer(thinking=True, ephemeral=True)
        log.info("add requested by user %d: %s", interaction.user.id,
                 url if url is not None else f"attachment {file.filename if file else ''}")
        engine = self.bot.engine
        if file is not None:
            data = await self._attachment_bytes(file)
            extraction = await asyncio.to_thread(ingest.extract_file, engine, file.filename, data)
        else:
            policy = FetchPolicy(allow_private=self.bot.config.fetch_allow_private)
            extraction = await asyncio.to_thread(ingest.extract_url, engine, str(url), policy)
        added = await asyncio.to_thread(ingest.add, engine, extraction)
        rendered = render_added(added)
        await interaction.followup.send(rendered.content, embeds=rendered.embeds, ephemeral=True)

    async def _attachment_bytes(self, file: discord.Attachment) -> bytes:
        """The attachment's bytes, within the fetch size cap (read from the CDN, no token sent)."""
        cap = FetchPolicy().max_bytes
        if file.size > cap:
            raise AddSourceError(f"{file.filename}: {file.size:,} bytes, over the {cap:,}-byte cap")
        try:
            return await file.read()
        except discord.HTTPException as exc:
            raise AddSourceError(f"{file.filename}: could not be downloaded ({exc.status})") \
                from None

    @app_commands.command(name="remove")
    @app_commands.guild_only()
    @app_commands.default_permissions(administrator=True)
    @app_commands.check(is_admin)
    @app_commands.describe(source="The source to take out (its id)")
    async def remove(self, interaction: discord.Interaction, source: str) -> None:
        """Take a source out: its file is deleted and the index rebuilt."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        source = resolve_source(self.bot, source) or source  # the `~hash` of a long id
        log.info("remove of %s requested by user %d", source, interaction.user.id)
        report = await asyncio.to_thread(ingest.remove, self.bot.engine, source)
        await interaction.followup.send(
            cut(f"Removed `{escape(source)}`. Index: {report.sources} sources, "
                f"{report.sentences} sentences.", 2000), ephemeral=True)

    @remove.autocomplete("source")
    async def source_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[str]]:
        """Suggest indexed sources whose id or title contains what was typed."""
        return source_choices(self.bot, current)


async def setup(bot: CitebotBot) -> None:
    """Load the cog."""
    await bot.add_cog(Sources(bot))
