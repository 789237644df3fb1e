from tests.fakediscord.fixtures import discord_errors, fake_discord, make_fake_discord  # noqa: F401
