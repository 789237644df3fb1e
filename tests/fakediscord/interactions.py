"""Interactions the fake sends (payload builders) and what the bot answered (FakeInteraction)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from typing import Any

from . import commands as cmds
from .attachments import ATTACHMENT
from .limits import FLAG_EPHEMERAL
from .signals import Changes
from .state import FakeChannel
from .world import World

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}


class FakeInteraction:
    """One interaction sent to the bot and every response the bot made to it."""

    def __init__(self, payload: dict[str, Any], description: str, changes: Changes) -> None:
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.description = description
        self.responses: list[tuple[str, dict[str, Any]]] = []
        self.messages: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.callback_type: int | None = None
        self.acknowledged_in: float | None = None
        self.expired = False
        self.loading = False
        self.original_id: int | None = None
        self.message_ids: list[int] = []
        self.modal: dict[str, Any] | None = None
        self.choices: list[dict[str, Any]] | None = None
        self.sent_at = time.monotonic()
        self.last_change = self.sent_at
        self._changes = changes
        self._messages_by_id: dict[int, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"<FakeInteraction {self.description} id={self.id} callback={self.callback_type}>"

    def record(
        self, kind: str, payload: dict[str, Any], *, visible: dict[str, Any] | None = None
    ) -> None:
        """Note a response (kind, payload); `visible` is the message payload the user sees."""
        self.responses.append((kind, payload))
        if visible is not None:
            self.messages.append(visible)
        self.last_change = time.monotonic()
        self._changes.pulse()

    def track(self, message: dict[str, Any]) -> None:
        """Remember a message that belongs to this interaction (original or follow-up)."""
        self._messages_by_id[int(message["id"])] = message
        if int(message["id"]) not in self.message_ids:
            self.message_ids.append(int(message["id"]))

    @property
    def original(self) -> dict[str, Any] | None:
        """The current original response message object (after edits), if any."""
        return None if self.original_id is None else self._messages_by_id.get(self.original_id)

    @property
    def ephemeral(self) -> bool:
        """Whether the user-visible reply was ephemeral (flags & 64)."""
        for message in (self.original, *self._messages_by_id.values()):
            if message is not None:
                return bool(int(message.get("flags") or 0) & FLAG_EPHEMERAL)
        return False

    @property
    def content(self) -> str:
        """Content of the last user-visible message payload that set content ("" if none)."""
        for payload in reversed(self.messages):
            if payload.get("content") is not None:
                return str(payload["content"])
        return ""

    def _ended(self) -> bool:
        return self.callback_type is not None or self.expired or bool(self.rejected)

    async def wait_done(self, timeout: float = 5.0, settle: float = 0.05) -> FakeInteraction:
        """Wait for the initial response, the follow-up of a defer, then `settle` s of quiet."""
        deadline = time.monotonic() + timeout
        what = f"a response to {self.description}"
        await self._changes.wait_for(self._ended, timeout, what)
        if self.callback_type is None and not self.expired:
            grace = min(4 * settle, max(0.0, deadline - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await self._changes.wait_for(lambda: self.callback_type is not None, grace, what)
        if self.callback_type is None:
            reason = "not acknowledged in time" if self.expired else "rejected"
            raise AssertionError(f"{self.description}: {reason}; rejected={self.rejected}")
        if self.callback_type == DEFERRED_CHANNEL_MESSAGE:
            remaining = max(0.0, deadline - time.monotonic())
            await self._changes.wait_for(
                lambda: not self.loading, remaining, f"the follow-up of {what}"
            )
        while (quiet := self.last_change + settle - time.monotonic()) > 0:
            await asyncio.sleep(quiet)
        return self


# ---- payload builders ------------------------------------------------------------------------


def base_payload(
    world: World,
    *,
    kind: int,
    user: str | int,
    channel: str | int,
    data: dict[str, Any],
    attachment_size_limit: int,
) -> dict[str, Any]:
    """Return an INTERACTION_CREATE payload from a guild member in a guild channel."""
    member = world.user(user)
    where = world.channel(channel)
    member_data = world.member_payload(member)
    member_data["permissions"] = str(world.permissions(member.id))
    return {
        "id": str(world.ids.next()),
        "application_id": str(world.app_id),
        "type": kind,
        "token": "ixtoken-" + secrets.token_hex(16),
        "version": 1,
        "attachment_size_limit": attachment_size_limit,
        "guild_id": str(world.guild_id),
        "guild": {"id": str(world.guild_id), "locale": "en-US", "features": []},
        "guild_locale": "en-US",
        "locale": "en-US",
        "channel_id": str(where.id),
        "channel": channel_with_permissions(world, where, member.id),
        "member": member_data,
        "app_permissions": str(world.app_permissions),
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(world.guild_id)},
        "context": 0,
        "data": data,
    }


def channel_with_permissions(world: World, channel: FakeChannel, user_id: int) -> dict[str, Any]:
    """Return a channel object with the user's computed `permissions` (as in interactions)."""
    data = channel.payload()
    data["permissions"] = str(world.permissions(user_id))
    return data


def _typed_value(world: World, opt: dict[str, Any], value: Any, resolved: dict[str, Any]) -> Any:
    kind = opt["type"]
    if kind == cmds.STRING:
        value = str(value)
    elif kind == cmds.INTEGER:
        if isinstance(value, bool) or int(value) != float(value):
            raise ValueError(f"option {opt['name']!r} needs an integer, got {value!r}")
        value = int(value)
    elif kind == cmds.NUMBER:
        value = float(value)
    elif kind == cmds.BOOLEAN:
        value = value.lower() == "true" if isinstance(value, str) else bool(value)
    elif kind in (cmds.USER, cmds.MENTIONABLE) and _is_user(world, value, kind):
        user = world.user(value)
        resolved.setdefault("users", {})[str(user.id)] = user.payload()
        if world.is_member(user.id):
            member = world.member_payload(user, with_user=False)
            member["permissions"] = str(world.permissions(user.id))
            resolved.setdefault("members", {})[str(user.id)] = member
        return str(user.id)
    elif kind in (cmds.ROLE, cmds.MENTIONABLE):
        role = world.role(value)
        resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)
    elif kind == cmds.CHANNEL:
        channel = world.channel(value)
        data = channel_with_permissions(world, channel, world.bot_user.id)
        resolved.setdefault("channels", {})[str(channel.id)] = data
        return str(channel.id)
    elif kind == ATTACHMENT:
        obj = world.attachments.add(world.ids.next(), world.guild_id, value)
        resolved.setdefault("attachments", {})[obj["id"]] = obj
        return obj["id"]
    else:
        raise ValueError(f"option type {kind} is not supported by the fake; pass options as a list")
    _check_bounds(opt, value)
    return value


def _is_user(world: World, value: Any, kind: int) -> bool:
    if kind == cmds.USER:
        return True
    try:
        world.user(value)
    except KeyError:
        return False
    return True


def _check_bounds(opt: dict[str, Any], value: Any) -> None:
    choices = [c["value"] for c in opt.get("choices") or []]
    if choices and value not in choices:
        raise ValueError(f"option {opt['name']!r}: {value!r} is not one of its choices {choices}")
    if isinstance(value, str):
        low, high = opt.get("min_length", 0), opt.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise ValueError(f"option {opt['name']!r}: length must be in [{low}, {high}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        low, high = opt.get("min_value"), opt.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"option {opt['name']!r}: {value} outside [{low}, {high}]")


def _leaf_options(
    world: World,
    name: str,
    definitions: list[dict[str, Any]],
    given: dict[str, Any],
    focused: str | None,
    resolved: dict[str, Any],
) -> list[dict[str, Any]]:
    leaf = []
    for opt in definitions:
        key = opt["name"]
        if key == focused:
            if not opt.get("autocomplete"):
                raise ValueError(f"option {key!r} of /{name} has no autocomplete")
            value = given.pop(key, "")
            leaf.append({"name": key, "type": opt["type"], "value": value, "focused": True})
        elif key in given:
            value = _typed_value(world, opt, given.pop(key), resolved)
            leaf.append({"name": key, "type": opt["type"], "value": value})
        elif opt.get("required") and focused is None:
            raise ValueError(f"/{name} needs required option {key!r}")
    if given:
        cmds.find_option(definitions, next(iter(given)))
    if focused is not None and not any(o.get("focused") for o in leaf):
        raise ValueError(f"/{name} has no option {focused!r}")
    return leaf


def command_data(
    world: World,
    command: dict[str, Any],
    options: dict[str, Any] | list[dict[str, Any]] | None,
    *,
    subcommand: str | None,
    focused: str | None = None,
) -> dict[str, Any]:
    """Return `data` of a slash command (autocomplete if `focused`) typed from its definition."""
    path, definitions = cmds.walk_subcommand(command, subcommand)
    resolved: dict[str, Any] = {}
    if isinstance(options, list):
        leaf = options
    else:
        leaf = _leaf_options(
            world, command["name"], definitions, dict(options or {}), focused, resolved
        )
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": command.get("type", 1),
        "options": cmds.nest_options(path, command, leaf),
    }
    if resolved:
        data["resolved"] = resolved
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def modal_submit_components(modal: dict[str, Any], values: dict[str, str]) -> list[dict[str, Any]]:
    """Mirror a modal's layout with the submitted text-input values."""
    out: list[dict[str, Any]] = []
    for comp in modal.get("components") or []:
        if comp.get("type") == 1:
            out.append({"type": 1, "components": modal_submit_components(comp, values)})
        elif comp.get("type") == 18:
            inner = modal_submit_components({"components": [comp["component"]]}, values)
            out.append({"type": 18, "id": comp.get("id", 0), "component": inner[0]})
        elif comp.get("type") == 4:
            out.append(
                {
                    "type": 4,
                    "custom_id": comp["custom_id"],
                    "value": values.get(comp["custom_id"], ""),
                }
            )
    return out
