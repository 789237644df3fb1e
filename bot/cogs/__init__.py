"""The bot's features, one cog module each."""

EXTENSIONS = ("bot.cogs.ask", "bot.cogs.topics", "bot.cogs.admin", "bot.cogs.sources",
              "bot.cogs.conversation")
