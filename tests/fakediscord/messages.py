"""Message objects from bot payloads or fake users; mentions filtered by allowed_mentions."""

from __future__ import annotations

import copy
import re
from typing import Any

from .state import MENTION_EVERYONE, FakeChannel, FakeUser, now_iso
from .world import World

MESSAGE_CONTENT_INTENT = 1 << 15
FLAG_LOADING = 1 << 7
USER_MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")
DEFAULT = 0
REPLY = 19
CHAT_INPUT_COMMAND = 20


def mention_entry(world: World, user: FakeUser) -> dict[str, Any]:
    """Return a `mentions` array entry (user plus partial member)."""
    entry = user.payload()
    if world.is_member(user.id):
        entry["member"] = world.member_payload(user, with_user=False)
    return entry


def resolve_mentions(
    world: World,
    content: str,
    allowed: dict[str, Any] | None,
    author: FakeUser,
    replied_user: FakeUser | None = None,
) -> dict[str, Any]:
    """Return mentions/mention_roles/mention_everyone as Discord would ping them."""
    parse = ["users", "roles", "everyone"] if allowed is None else list(allowed.get("parse") or [])
    ok_users = {str(u) for u in (allowed or {}).get("users") or []}
    ok_roles = {str(r) for r in (allowed or {}).get("roles") or []}
    perms = world.permissions(author.id)
    users: list[FakeUser] = []
    for uid in dict.fromkeys(USER_MENTION_RE.findall(content)):
        user = world.user_by_id(int(uid))
        if user is not None and ("users" in parse or uid in ok_users):
            users.append(user)
    ping_reply = allowed is None or bool(allowed.get("replied_user"))
    if replied_user is not None and ping_reply and replied_user not in users:
        users.append(replied_user)
    roles = []
    for rid in dict.fromkeys(ROLE_MENTION_RE.findall(content)):
        role = next((r for r in world.roles.values() if str(r.id) == rid), None)
        allowed_role = "roles" in parse or rid in ok_roles
        if role is not None and allowed_role and (role.mentionable or perms & MENTION_EVERYONE):
            roles.append(rid)
    everyone = ("@everyone" in content or "@here" in content) and "everyone" in parse
    return {
        "mentions": [mention_entry(world, u) for u in users],
        "mention_roles": roles,
        "mention_everyone": bool(everyone and perms & MENTION_EVERYONE),
    }


def attachment_objects(files: list[dict[str, Any]], ids: Any) -> list[dict[str, Any]]:
    """Turn uploaded files into attachment objects."""
    out = []
    for f in files:
        aid = ids.next()
        url = f"https://cdn.discordapp.com/attachments/{aid}/{f['filename']}"
        out.append(
            {
                "id": str(aid),
                "filename": f["filename"],
                "size": f["size"],
                "url": url,
                "proxy_url": url,
                "content_type": f.get("content_type"),
            }
        )
    return out


def reference_fields(world: World, referenced: dict[str, Any]) -> dict[str, Any]:
    """Return `message_reference` and `referenced_message` for a reply to `referenced`."""
    reference = {
        "type": 0,
        "message_id": referenced["id"],
        "channel_id": referenced["channel_id"],
        "guild_id": str(world.guild_id),
    }
    return {"message_reference": reference, "referenced_message": copy.deepcopy(referenced)}


def bot_message(
    world: World,
    channel: FakeChannel,
    payload: dict[str, Any],
    *,
    msg_type: int = DEFAULT,
    flags: int = 0,
    files: list[dict[str, Any]] | None = None,
    message_id: int | None = None,
) -> dict[str, Any]:
    """Build the message object Discord creates from a bot's message body."""
    content = payload.get("content") or ""
    reference = payload.get("message_reference")
    referenced = None
    if reference and reference.get("message_id") is not None:
        referenced = world.messages.get(int(reference["message_id"]))
    replied = world.user_by_id(int(referenced["author"]["id"])) if referenced else None
    mentions = resolve_mentions(
        world, content, payload.get("allowed_mentions"), world.bot_user, replied
    )
    message: dict[str, Any] = {
        "id": str(message_id or world.ids.next()),
        "channel_id": str(channel.id),
        "guild_id": str(world.guild_id),
        "author": world.bot_user.payload(),
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": bool(payload.get("tts")),
        **mentions,
        "attachments": attachment_objects(files or [], world.ids),
        "embeds": copy.deepcopy(payload.get("embeds") or []),
        "components": copy.deepcopy(payload.get("components") or []),
        "pinned": False,
        "type": REPLY if referenced else msg_type,
        "flags": flags,
    }
    if referenced is not None:
        message.update(reference_fields(world, referenced))
    return message


def apply_edit(
    world: World, message: dict[str, Any], payload: dict[str, Any], files: list[dict[str, Any]]
) -> None:
    """Apply an edit body to a stored message in place."""
    for key in ("content", "embeds", "components"):
        if key in payload:
            message[key] = (
                copy.deepcopy(payload[key])
                if payload[key] is not None
                else ("" if key == "content" else [])
            )
    if "attachments" in payload or files:
        keep = {str(a.get("id")) for a in payload.get("attachments") or []}
        kept = [a for a in message.get("attachments", []) if a["id"] in keep]
        message["attachments"] = kept + attachment_objects(files, world.ids)
    if payload.get("flags") is not None:
        keep_flags = int(message.get("flags", 0)) & (1 << 6)
        message["flags"] = keep_flags | (int(payload["flags"]) & ~(1 << 6))
    message["flags"] = int(message.get("flags", 0)) & ~FLAG_LOADING
    message["edited_timestamp"] = now_iso()
    if "content" in payload:
        author = world.user(int(message["author"]["id"]))
        message.update(
            resolve_mentions(world, message["content"], payload.get("allowed_mentions"), author)
        )


def user_message(
    world: World,
    author: FakeUser,
    channel: FakeChannel,
    content: str,
    *,
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a MESSAGE_CREATE payload for a message typed by a fake user."""
    replied = world.user_by_id(int(reply_to["author"]["id"])) if reply_to else None
    message: dict[str, Any] = {
        "id": str(world.ids.next()),
        "channel_id": str(channel.id),
        "guild_id": str(world.guild_id),
        "author": author.payload(),
        "member": world.member_payload(author, with_user=False),
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        **resolve_mentions(world, content, None, author, replied),
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": False,
        "type": REPLY if reply_to else DEFAULT,
        "flags": 0,
        "nonce": str(world.ids.next()),
    }
    if reply_to is not None:
        message.update(reference_fields(world, reply_to))
    return message


def as_seen_by_bot(message: dict[str, Any], intents: int | None, bot_id: int) -> dict[str, Any]:
    """Blank content/embeds/attachments/components without the message-content intent."""
    if intents is not None and intents & MESSAGE_CONTENT_INTENT:
        return message
    if int(message["author"]["id"]) == bot_id:
        return message
    if any(int(m["id"]) == bot_id for m in message.get("mentions", [])):
        return message
    seen = dict(message)
    seen.update(content="", embeds=[], attachments=[], components=[])
    seen.pop("poll", None)
    return seen
