"""The default world: one guild, an admin, a member, another bot, the bot itself, two channels."""

from __future__ import annotations

import copy
from typing import Any

from .attachments import Attachments
from .state import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    PUBLIC_THREAD,
    FakeChannel,
    FakeRole,
    FakeUser,
    Snowflakes,
    now_iso,
)

GUILD_DEFAULTS: dict[str, Any] = {
    "name": "Citebot Test Guild",
    "icon": None,
    "splash": None,
    "discovery_splash": None,
    "banner": None,
    "description": None,
    "afk_channel_id": None,
    "afk_timeout": 300,
    "verification_level": 0,
    "default_message_notifications": 0,
    "explicit_content_filter": 0,
    "mfa_level": 0,
    "nsfw_level": 0,
    "premium_tier": 0,
    "preferred_locale": "en-US",
    "features": [],
    "emojis": [],
    "stickers": [],
    "large": False,
    "unavailable": False,
    "voice_states": [],
    "presences": [],
    "stage_instances": [],
    "guild_scheduled_events": [],
    "soundboard_sounds": [],
    "system_channel_id": None,
    "rules_channel_id": None,
    "public_updates_channel_id": None,
    "application_id": None,
}


class World:
    """Everything the fake Discord knows: users, roles, channels, members and messages."""

    def __init__(self, ids: Snowflakes, *, bot_name: str = "citebot") -> None:
        self.ids = ids
        self.app_id = ids.next()
        self.guild_id = ids.next()
        self.bot_user = FakeUser(ids.next(), bot_name, bot=True)
        self.users: dict[str, FakeUser] = {
            "owner": FakeUser(ids.next(), "olivia_owner", global_name="Olivia"),
            "admin": FakeUser(ids.next(), "alice_admin", global_name="Alice"),
            "member": FakeUser(ids.next(), "bob_member", global_name="Bob"),
            "otherbot": FakeUser(ids.next(), "otherbot", bot=True),
        }
        g = self.guild_id
        self.roles: dict[str, FakeRole] = {
            "@everyone": FakeRole(g, "@everyone", EVERYONE_PERMISSIONS, 0),
            "Helpers": FakeRole(ids.next(), "Helpers", 0, 1, mentionable=True),
            "citebot": FakeRole(
                ids.next(), bot_name, EVERYONE_PERMISSIONS, 2, managed=True, bot_id=self.bot_user.id
            ),
            "Admin": FakeRole(ids.next(), "Admin", ADMINISTRATOR, 3),
        }
        self.member_roles: dict[int, list[str]] = {
            self.users["owner"].id: [],
            self.users["admin"].id: ["Admin"],
            self.users["member"].id: ["Helpers"],
            self.users["otherbot"].id: [],
            self.bot_user.id: ["citebot"],
        }
        self.channels: dict[int, FakeChannel] = {}
        for pos, name in enumerate(("general", "answers")):
            self.add_channel(FakeChannel(ids.next(), name, g, position=pos))
        self.messages: dict[int, dict[str, Any]] = {}
        self.joined_at = now_iso()
        self.attachments = Attachments()  # files given to ATTACHMENT options, served as a CDN

    # ---- lookups -------------------------------------------------------------------------

    def add_channel(self, channel: FakeChannel) -> FakeChannel:
        """Register a channel or thread."""
        self.channels[channel.id] = channel
        return channel

    @property
    def channel_ids(self) -> dict[str, int]:
        """Map channel (and thread) names to ids."""
        return {c.name: c.id for c in self.channels.values()}

    def channel(self, ref: str | int) -> FakeChannel:
        """Find a channel by name or id; KeyError if unknown."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self.channels[int(ref)]
        for channel in self.channels.values():
            if channel.name == ref:
                return channel
        raise KeyError(f"unknown channel {ref!r}; known: {sorted(self.channel_ids)}")

    def user(self, ref: str | int | FakeUser) -> FakeUser:
        """Find a user by key ("admin"), username or id; KeyError if unknown."""
        if isinstance(ref, FakeUser):
            return ref
        everyone = [*self.users.values(), self.bot_user]
        if isinstance(ref, str) and ref in self.users:
            return self.users[ref]
        for user in everyone:
            if str(user.id) == str(ref) or user.username == ref:
                return user
        raise KeyError(f"unknown user {ref!r}; known: {sorted(self.users)}")

    def user_by_id(self, user_id: int) -> FakeUser | None:
        """Find a user by id or return None."""
        for user in [*self.users.values(), self.bot_user]:
            if user.id == user_id:
                return user
        return None

    def role(self, ref: str | int) -> FakeRole:
        """Find a role by name or id; KeyError if unknown."""
        for role in self.roles.values():
            if role.name == ref or str(role.id) == str(ref):
                return role
        if isinstance(ref, str) and ref in self.roles:
            return self.roles[ref]
        raise KeyError(f"unknown role {ref!r}; known: {sorted(self.roles)}")

    def is_member(self, user_id: int) -> bool:
        """Whether the user is a member of the guild."""
        return user_id in self.member_roles

    # ---- permissions -----------------------------------------------------------------------

    def permissions(self, user_id: int) -> int:
        """Compute the member's guild permissions as Discord does (no channel overwrites)."""
        if user_id == self.users["owner"].id:
            return ALL_PERMISSIONS
        perms = self.roles["@everyone"].permissions
        for name in self.member_roles.get(user_id, []):
            perms |= self.roles[name].permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    @property
    def app_permissions(self) -> int:
        """The bot's own permissions."""
        return self.permissions(self.bot_user.id)

    # ---- payloads --------------------------------------------------------------------------

    def member_payload(self, user: FakeUser, *, with_user: bool = True) -> dict[str, Any]:
        """Return a guild member object."""
        data: dict[str, Any] = {
            "roles": [str(self.roles[n].id) for n in self.member_roles.get(user.id, [])],
            "flags": 0,
            "joined_at": self.joined_at,
            "deaf": False,
            "mute": False,
            "nick": None,
            "avatar": None,
            "pending": False,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = user.payload()
        return data

    def guild_create_payload(self, *, all_members: bool = True) -> dict[str, Any]:
        """Return the GUILD_CREATE payload (only the bot's member without the members intent)."""
        users = [*self.users.values(), self.bot_user] if all_members else [self.bot_user]
        members = [self.member_payload(u) for u in users if self.is_member(u.id)]
        member_count = sum(1 for uid in self.member_roles)
        channels = [c.payload() for c in self.channels.values() if not c.is_thread]
        threads = [c.payload() for c in self.channels.values() if c.is_thread]
        return {
            **copy.deepcopy(GUILD_DEFAULTS),
            "id": str(self.guild_id),
            "owner_id": str(self.users["owner"].id),
            "roles": [r.payload() for r in self.roles.values()],
            "channels": channels,
            "threads": threads,
            "members": members,
            "member_count": member_count,
            "joined_at": self.joined_at,
        }

    def new_thread(
        self,
        name: str,
        parent: FakeChannel,
        *,
        thread_id: int | None = None,
        kind: int = PUBLIC_THREAD,
    ) -> FakeChannel:
        """Create and register a thread under `parent`."""
        thread = FakeChannel(
            thread_id or self.ids.next(),
            name,
            self.guild_id,
            type=kind,
            parent_id=parent.id,
            owner_id=self.bot_user.id,
        )
        return self.add_channel(thread)
