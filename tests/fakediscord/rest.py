"""Bot-authenticated REST routes: users, application, commands, channels, messages, threads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import commands as cmds
from .httputil import Call, Router, error_reply, json_reply, no_content
from .limits import FormErrors, check_message, is_empty_message
from .messages import apply_edit, as_seen_by_bot, bot_message
from .state import PRIVATE_THREAD, PUBLIC_THREAD, FakeChannel

if TYPE_CHECKING:
    from .server import FakeDiscord


def check_body(
    fake: FakeDiscord,
    call: Call,
    payload: Any,
    *,
    partial: bool = False,
    existing: dict[str, Any] | None = None,
) -> web.Response | None:
    """Validate a message body like Discord; return the error reply or None."""
    if not isinstance(payload, dict):
        return call.fail(400, 50109, "The request body contains invalid JSON.")
    for f in call.files:
        if f["size"] > fake.attachment_size_limit:
            return call.fail(413, 40005, "Request entity too large")
    errors = check_message(payload, partial=partial)
    ref = payload.get("message_reference")
    strict_ref = bool(ref) and ref.get("fail_if_not_exists", True)
    if (
        strict_ref
        and ref.get("message_id") is not None
        and int(ref["message_id"]) not in fake.world.messages
    ):
        errors.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
    if errors:
        return form_error(call, errors)
    merged = {**(existing or {}), **payload}
    if (not partial or existing is not None) and is_empty_message(merged, len(call.files)):
        return call.fail(400, 50006, "Cannot send an empty message")
    return None


def form_error(call: Call, errors: FormErrors) -> web.Response:
    """Answer 400 Invalid Form Body (50035) and note the failure."""
    call.failures.append(f"{call.record.method} {call.record.path}: 400 50035 {errors.summary()}")
    return json_reply(errors.body(), status=400)


class RestApi:
    """Route handlers for the bot-token routes."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world = fake.world

    def register(self, router: Router) -> None:
        """Add this API's routes to `router`."""
        add = router.add
        add("GET", "/users/@me", self.get_me)
        add("GET", "/users/{user_id}", self.get_user)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway, auth=False)
        add("GET", "/gateway/bot", self.get_gateway)
        for base in (
            "/applications/{app_id}/commands",
            "/applications/{app_id}/guilds/{guild_id}/commands",
        ):
            add("GET", base, self.get_commands)
            add("PUT", base, self.put_commands)
        add("GET", "/guilds/{guild_id}", self.get_guild)
        add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        add("GET", "/channels/{channel_id}/messages", self.get_messages)
        add("POST", "/channels/{channel_id}/messages", self.post_message)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.patch_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        reaction = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
        add("PUT", reaction, self.reaction)
        add("DELETE", reaction, self.reaction)
        add(
            "POST", "/channels/{channel_id}/messages/{message_id}/threads", self.thread_from_message
        )
        add("POST", "/channels/{channel_id}/threads", self.thread_without_message)

    # ---- users / application / gateway -------------------------------------------------------

    async def get_me(self, call: Call) -> web.Response:
        """GET /users/@me."""
        user = self.world.bot_user.payload()
        user.update(verified=True, mfa_enabled=False, flags=0, email=None, locale="en-US")
        return json_reply(user)

    async def get_user(self, call: Call) -> web.Response:
        """GET /users/{id}."""
        user = self.world.user_by_id(int(call.params["user_id"]))
        return json_reply(user.payload()) if user else error_reply(404, 10013, "Unknown User")

    async def get_application(self, call: Call) -> web.Response:
        """GET /oauth2/applications/@me."""
        return json_reply(
            {
                "id": str(self.world.app_id),
                "name": self.world.bot_user.username,
                "description": "fake application",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self.world.users["owner"].payload(),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "bot": self.world.bot_user.payload(),
            }
        )

    async def get_gateway(self, call: Call) -> web.Response:
        """GET /gateway and /gateway/bot."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_reply({"url": self.fake.gateway_url, "shards": 1, "session_start_limit": limit})

    # ---- commands ----------------------------------------------------------------------------

    def _command_scope(self, call: Call) -> tuple[int | None, web.Response | None]:
        if call.params["app_id"] != str(self.world.app_id):
            return None, call.fail(
                403, 20012, "You are not authorized to perform this action on this application"
            )
        guild = call.params.get("guild_id")
        if guild is not None and guild != str(self.world.guild_id):
            return None, call.fail(404, 10004, "Unknown Guild")
        return (int(guild) if guild else None), None

    async def get_commands(self, call: Call) -> web.Response:
        """GET global or guild commands."""
        guild, err = self._command_scope(call)
        return err or json_reply(self.fake.registered_commands(guild))

    async def put_commands(self, call: Call) -> web.Response:
        """PUT (bulk overwrite) global or guild commands."""
        guild, err = self._command_scope(call)
        if err:
            return err
        errors = cmds.check_commands(call.json)
        if errors:
            return form_error(call, errors)
        echoed = cmds.echo_commands(
            call.json,
            self.fake.registered_commands(guild),
            app_id=self.world.app_id,
            guild_id=guild,
            ids=self.world.ids,
        )
        self.fake.set_commands(guild, call.json, echoed)
        return json_reply(echoed)

    # ---- guild / channels --------------------------------------------------------------------

    async def get_guild(self, call: Call) -> web.Response:
        """GET /guilds/{id} (without members/channels, like Discord)."""
        if call.params["guild_id"] != str(self.world.guild_id):
            return error_reply(404, 10004, "Unknown Guild")
        data = self.world.guild_create_payload()
        for key in ("members", "channels", "threads", "voice_states", "presences", "joined_at"):
            data.pop(key, None)
        return json_reply(data)

    async def get_guild_channels(self, call: Call) -> web.Response:
        """GET /guilds/{id}/channels."""
        return json_reply([c.payload() for c in self.world.channels.values() if not c.is_thread])

    async def get_member(self, call: Call) -> web.Response:
        """GET /guilds/{id}/members/{user}."""
        user = self.world.user_by_id(int(call.params["user_id"]))
        if user is None or not self.world.is_member(user.id):
            return error_reply(404, 10007, "Unknown Member")
        return json_reply(self.world.member_payload(user))

    def _channel(self, call: Call) -> FakeChannel | None:
        return self.world.channels.get(int(call.params["channel_id"]))

    async def get_channel(self, call: Call) -> web.Response:
        """GET /channels/{id}."""
        channel = self._channel(call)
        return (
            json_reply(channel.payload()) if channel else error_reply(404, 10003, "Unknown Channel")
        )

    async def typing(self, call: Call) -> web.Response:
        """POST /channels/{id}/typing."""
        return no_content() if self._channel(call) else error_reply(404, 10003, "Unknown Channel")

    # ---- messages ----------------------------------------------------------------------------

    def _message(self, call: Call) -> dict[str, Any] | None:
        message = self.world.messages.get(int(call.params["message_id"]))
        if message is None or message["channel_id"] != call.params["channel_id"]:
            return None
        return message

    def _seen(self, message: dict[str, Any]) -> dict[str, Any]:
        return as_seen_by_bot(message, self.fake.gateway.intents, self.world.bot_user.id)

    async def get_messages(self, call: Call) -> web.Response:
        """GET /channels/{id}/messages (newest first)."""
        cid = call.params["channel_id"]
        found = [m for m in self.world.messages.values() if m["channel_id"] == cid]
        limit = int(call.query.get("limit", 50))
        return json_reply([self._seen(m) for m in reversed(found)][:limit])

    async def get_message(self, call: Call) -> web.Response:
        """GET /channels/{id}/messages/{mid}."""
        message = self._message(call)
        return (
            json_reply(self._seen(message))
            if message
            else error_reply(404, 10008, "Unknown Message")
        )

    async def post_message(self, call: Call) -> web.Response:
        """POST /channels/{id}/messages."""
        channel = self._channel(call)
        if channel is None:
            return call.fail(404, 10003, "Unknown Channel")
        err = check_body(self.fake, call, call.json)
        if err:
            return err
        flags = int(call.json.get("flags") or 0)
        if flags & 64:
            return call.fail(400, 50035, "Ephemeral messages can only be sent by interactions")
        message = bot_message(self.world, channel, call.json, flags=flags, files=call.files)
        await self.fake.store_bot_message("channel", channel.id, message, call.json)
        return json_reply(message)

    async def patch_message(self, call: Call) -> web.Response:
        """PATCH /channels/{id}/messages/{mid}."""
        message = self._message(call)
        if message is None:
            return call.fail(404, 10008, "Unknown Message")
        if int(message["author"]["id"]) != self.world.bot_user.id:
            return call.fail(403, 50005, "Cannot edit a message authored by another user")
        err = check_body(self.fake, call, call.json, partial=True, existing=message)
        if err:
            return err
        apply_edit(self.world, message, call.json, call.files)
        await self.fake.store_bot_message(
            "edit", int(message["channel_id"]), message, call.json, update=True
        )
        return json_reply(message)

    async def delete_message(self, call: Call) -> web.Response:
        """DELETE /channels/{id}/messages/{mid}."""
        message = self._message(call)
        if message is None:
            return error_reply(404, 10008, "Unknown Message")
        await self.fake.delete_message(message)
        return no_content()

    async def reaction(self, call: Call) -> web.Response:
        """PUT/DELETE own reaction."""
        return no_content() if self._message(call) else error_reply(404, 10008, "Unknown Message")

    # ---- threads -----------------------------------------------------------------------------

    def _thread_name(self, call: Call) -> tuple[str, web.Response | None]:
        body = call.json if isinstance(call.json, dict) else {}
        errors = FormErrors()
        errors.max_len(("name",), body.get("name"), 100, 1)
        return str(body.get("name")), (form_error(call, errors) if errors else None)

    async def thread_from_message(self, call: Call) -> web.Response:
        """POST /channels/{id}/messages/{mid}/threads: the thread id is the message id."""
        parent, message = self._channel(call), self._message(call)
        if parent is None or message is None:
            return call.fail(404, 10008, "Unknown Message")
        if parent.is_thread:
            return call.fail(400, 50024, "Cannot execute action on this channel type")
        name, err = self._thread_name(call)
        if err:
            return err
        if int(message["id"]) in self.world.channels:
            return call.fail(400, 160004, "A thread has already been created for this message")
        thread = self.world.new_thread(name, parent, thread_id=int(message["id"]))
        thread.auto_archive_duration = int(call.json.get("auto_archive_duration") or 1440)
        return await self._thread_created(thread)

    async def thread_without_message(self, call: Call) -> web.Response:
        """POST /channels/{id}/threads."""
        parent = self._channel(call)
        if parent is None:
            return call.fail(404, 10003, "Unknown Channel")
        name, err = self._thread_name(call)
        if err:
            return err
        kind = int(call.json.get("type") or PRIVATE_THREAD)
        if kind not in (PUBLIC_THREAD, PRIVATE_THREAD):
            return call.fail(400, 50035, f"Invalid thread type {kind}")
        thread = self.world.new_thread(name, parent, kind=kind)
        thread.auto_archive_duration = int(call.json.get("auto_archive_duration") or 1440)
        return await self._thread_created(thread)

    async def _thread_created(self, thread: FakeChannel) -> web.Response:
        data = thread.payload()
        member = {"id": str(thread.id), "user_id": str(self.world.bot_user.id), "flags": 0}
        data["member"] = {**member, "join_timestamp": thread.created_at}
        await self.fake.gateway.dispatch("THREAD_CREATE", {**data, "newly_created": True})
        return json_reply(data)
