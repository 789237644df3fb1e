"""One slash command per sticking point in `issues.toml`, generated at runtime, and /issues."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from index.errors import ConfigError
from index.topics import Issue, Party, Topics

from ..answering import prepare, respond
from ..render import cut, render_issues
from ..requests import IssueRequest

if TYPE_CHECKING:
    from ..app import CitebotBot

log = logging.getLogger(__name__)
COMMAND_LIMIT = 100  # Discord's limit of slash commands per scope, the built-in ones included
IssueHandler = Callable[[discord.Interaction, str, "str | None", "str | None"], Awaitable[None]]


def build_issue_command(issue: Issue, parties: tuple[Party, ...],
                        handler: IssueHandler) -> app_commands.Command[None, ..., None]:
    """Build the slash command for one sticking point: optional side (choices) and question."""

    async def callback(interaction: discord.Interaction, side: str | None = None,
                       question: str | None = None) -> None:
        await handler(interaction, issue.key, side, question)

    command = app_commands.Command(name=issue.key, callback=callback,
                                   description=cut(issue.description, 100) or issue.title[:100])
    command = app_commands.describe(side="Whose position to quote",
                                    question="Narrow it with your own words")(command)
    if parties:
        choices = [app_commands.Choice(name=cut(p.name, 100), value=p.key)
                   for p in parties[:25]]
        command = app_commands.choices(side=choices)(command)
    return command


class IssueCommands(commands.Cog, name="Topics"):
    """The sticking points as slash commands, regenerated when `issues.toml` changes."""

    def __init__(self, bot: CitebotBot) -> None:
        self.bot = bot
        self.added: list[str] = []

    async def cog_unload(self) -> None:
        """Remove the generated commands."""
        self._remove()

    def _remove(self) -> None:
        """Take the generated commands out of the tree."""
        for name in self.added:
            self.bot.tree.remove_command(name)
        self.added = []

    def refresh(self, topics: Topics | None = None) -> list[str]:
        """Regenerate the issue commands from the served topics; return their names."""
        topics = topics or self.bot.engine.snapshot.topics
        self._remove()
        builtin = {c.name for c in self.bot.tree.get_commands()}
        if len(builtin) + len(topics.issues) > COMMAND_LIMIT:
            raise ConfigError(f"{len(topics.issues)} sticking points and {len(builtin)} built-in "
                              f"commands: Discord allows {COMMAND_LIMIT} commands in all")
        for issue in topics.issues:
            if issue.key in builtin:
                log.warning("issue %r clashes with a built-in command; skipped", issue.key)
                continue
            command = build_issue_command(issue, topics.parties, self.answer_issue)
            self.bot.tree.add_command(command, override=True)
            self.added.append(issue.key)
        log.info("issue commands: %s", ", ".join(self.added) or "none")
        return list(self.added)

    async def answer_issue(self, interaction: discord.Interaction, key: str, side: str | None,
                           question: str | None) -> None:
        """Answer one sticking point, optionally for one side and narrowed by a question."""
        text, notice = prepare(question or "", self.bot.config.max_question_chars)
        await respond(interaction, IssueRequest(key=key, side=side, question=text),
                      cooldown=self.bot.cooldowns.question_wait, notice=notice)

    @app_commands.command(name="issues")
    async def issues(self, interaction: discord.Interaction) -> None:
        """List the sticking points you can ask about, each its own command."""
        rendered = render_issues(self.bot.engine.snapshot.topics)
        await interaction.response.send_message(embeds=rendered.embeds, ephemeral=True)


async def setup(bot: CitebotBot) -> None:
    """Load the cog."""
    await bot.add_cog(IssueCommands(bot))
