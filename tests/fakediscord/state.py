"""The fake guild: users, roles, channels, stored messages, snowflake ids and payload builders."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)

TEXT_CHANNEL = 0
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12


def now_iso() -> str:
    """Return the current UTC time as Discord's ISO 8601 timestamp."""
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Generates increasing Discord snowflakes from the wall clock and a counter."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> int:
        """Return a fresh snowflake id."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._counter) & 0x3FFFFF)


@dataclass
class FakeUser:
    """A Discord user (human or bot) in the fake world."""

    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    @property
    def mention(self) -> str:
        """The `<@id>` mention string."""
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        """Return the user object as Discord sends it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class FakeRole:
    """A guild role."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        """The `<@&id>` mention string."""
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        """Return the role object as Discord sends it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class FakeChannel:
    """A guild text channel or thread."""

    id: int
    name: str
    guild_id: int
    type: int = TEXT_CHANNEL
    position: int = 0
    parent_id: int | None = None
    owner_id: int | None = None
    auto_archive_duration: int = 1440
    created_at: str = field(default_factory=now_iso)

    @property
    def is_thread(self) -> bool:
        """Whether this channel is a thread."""
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD)

    def payload(self) -> dict[str, Any]:
        """Return the channel object as Discord sends it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }
        if not self.is_thread:
            data.update(position=self.position, permission_overwrites=[], topic=None, nsfw=False)
            return data
        data.update(
            owner_id=str(self.owner_id),
            message_count=0,
            member_count=1,
            total_message_sent=0,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": self.auto_archive_duration,
                "archive_timestamp": self.created_at,
                "locked": False,
                "create_timestamp": self.created_at,
            },
        )
        return data


@dataclass
class RecordedRequest:
    """One REST call the client made to the fake."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PostedMessage:
    """A message the bot created or edited; `pm["content"]` reads the message object."""

    kind: str
    channel_id: int
    message: dict[str, Any]
    payload: dict[str, Any]
    allowed_mentions: dict[str, Any] | None
    interaction_id: int | None = None

    def __getitem__(self, key: str) -> Any:
        """Read `kind`/`allowed_mentions`/`payload` or else a key of the message object."""
        if key in ("kind", "allowed_mentions", "payload", "interaction_id"):
            return getattr(self, key)
        return self.message[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Like dict.get over the message object (and the special keys)."""
        try:
            return self[key]
        except KeyError:
            return default

    @property
    def id(self) -> int:
        """The message id."""
        return int(self.message["id"])

    @property
    def content(self) -> str:
        """The message content."""
        return str(self.message.get("content", ""))

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The message embeds."""
        return list(self.message.get("embeds", []))

    @property
    def components(self) -> list[dict[str, Any]]:
        """The message components."""
        return list(self.message.get("components", []))
