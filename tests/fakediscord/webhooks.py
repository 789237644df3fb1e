"""Interaction callbacks and webhook follow-ups (these requests carry no Authorization header)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import interactions as ixs
from .httputil import Call, Router, error_reply, json_reply, no_content
from .interactions import FakeInteraction
from .limits import FLAG_EPHEMERAL, check_choices, check_modal
from .messages import CHAT_INPUT_COMMAND, DEFAULT, FLAG_LOADING, apply_edit, bot_message
from .rest import check_body, form_error

if TYPE_CHECKING:
    from .server import FakeDiscord

MESSAGE_FLAGS_ALLOWED = FLAG_EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)


class InteractionApi:
    """Route handlers for `/interactions/...` and `/webhooks/{app}/{token}...`."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world = fake.world

    def register(self, router: Router) -> None:
        """Add this API's routes to `router`."""
        router.add(
            "POST", "/interactions/{interaction_id}/{token}/callback", self.callback, auth=False
        )
        router.add("POST", "/webhooks/{app_id}/{token}", self.followup, auth=False)
        path = "/webhooks/{app_id}/{token}/messages/{message_id}"
        router.add("GET", path, self.get_message, auth=False)
        router.add("PATCH", path, self.edit_message, auth=False)
        router.add("DELETE", path, self.delete_message, auth=False)

    def _reject(
        self, ix: FakeInteraction | None, call: Call, status: int, code: int, msg: str
    ) -> web.Response:
        reply = call.fail(status, code, msg)
        if ix is not None:
            ix.rejected.append(call.failures[-1])
            self.fake.changes.pulse()
        return reply

    # ---- initial response ----------------------------------------------------------------

    async def callback(self, call: Call) -> web.Response:
        """POST /interactions/{id}/{token}/callback[?with_response=1]."""
        ix = self.fake.interactions_by_id.get(int(call.params["interaction_id"]))
        if ix is None or ix.token != call.params["token"] or ix.expired:
            return self._reject(ix, call, 404, 10062, "Unknown interaction")
        if ix.callback_type is not None:
            return self._reject(ix, call, 400, 40060, "Interaction has already been acknowledged.")
        body = call.json if isinstance(call.json, dict) else {}
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in ixs.ALLOWED_CALLBACKS.get(ix.type, set()):
            return self._reject(
                ix, call, 400, 50035, f"Invalid callback type {kind} for interaction type {ix.type}"
            )
        err = self._validate(ix, call, kind, data)
        if err is not None:
            ix.rejected.append(call.failures[-1])
            self.fake.changes.pulse()
            return err
        ix.callback_type = kind
        ix.acknowledged_in = time.monotonic() - ix.sent_at
        self.fake.cancel_ack_timer(ix)
        message = await self._apply_callback(ix, kind, data, call.files)
        shown = data if kind in (ixs.CHANNEL_MESSAGE, ixs.UPDATE_MESSAGE) else None
        ix.record("callback", body, visible=shown)
        if kind == ixs.AUTOCOMPLETE_RESULT or call.query.get("with_response") not in (
            "1",
            "true",
            "True",
        ):
            return no_content()
        return json_reply(self._callback_body(ix, kind, message))

    def _validate(
        self, ix: FakeInteraction, call: Call, kind: int, data: dict[str, Any]
    ) -> web.Response | None:
        if kind == ixs.CHANNEL_MESSAGE:
            return check_body(self.fake, call, data)
        if kind == ixs.UPDATE_MESSAGE:
            return check_body(
                self.fake, call, data, partial=True, existing=self._component_message(ix)
            )
        if kind in (ixs.AUTOCOMPLETE_RESULT, ixs.MODAL):
            errors = check_choices(data.get("choices") or []) if kind == 8 else check_modal(data)
            return form_error(call, errors) if errors else None
        return None

    def _component_message(self, ix: FakeInteraction) -> dict[str, Any] | None:
        message = ix.payload.get("message")
        return None if message is None else self.world.messages.get(int(message["id"]))

    async def _apply_callback(
        self, ix: FakeInteraction, kind: int, data: dict[str, Any], files: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        if kind in (ixs.CHANNEL_MESSAGE, ixs.DEFERRED_CHANNEL_MESSAGE):
            return await self._respond_with_message(ix, kind, data, files)
        if kind in (ixs.DEFERRED_UPDATE, ixs.UPDATE_MESSAGE):
            message = self._component_message(ix)
            if message is None:
                return None
            ix.original_id = int(message["id"])
            ix.track(message)
            if kind == ixs.UPDATE_MESSAGE:
                apply_edit(self.world, message, data, files)
                channel_id = int(message["channel_id"])
                await self.fake.store_bot_message(
                    "update", channel_id, message, data, interaction=ix, update=True
                )
            return message
        if kind == ixs.AUTOCOMPLETE_RESULT:
            ix.choices = list(data.get("choices") or [])
        elif kind == ixs.MODAL:
            ix.modal = data
        return None

    async def _respond_with_message(
        self, ix: FakeInteraction, kind: int, data: dict[str, Any], files: list[dict[str, Any]]
    ) -> dict[str, Any]:
        loading = kind == ixs.DEFERRED_CHANNEL_MESSAGE
        if loading:
            flags = (int(data.get("flags") or 0) & FLAG_EPHEMERAL) | FLAG_LOADING
            message = self._new_message(ix, {}, flags, [])
        else:
            flags = int(data.get("flags") or 0) & MESSAGE_FLAGS_ALLOWED
            message = self._new_message(ix, data, flags, files)
        ix.original_id, ix.loading = int(message["id"]), loading
        ix.track(message)
        await self.fake.store_bot_message(
            "deferred" if loading else "callback",
            int(message["channel_id"]),
            message,
            data,
            interaction=ix,
            posted=not loading,
        )
        return message

    def _new_message(
        self, ix: FakeInteraction, data: dict[str, Any], flags: int, files: list[dict[str, Any]]
    ) -> dict[str, Any]:
        channel = self.world.channels[int(ix.payload["channel_id"])]
        msg_type = CHAT_INPUT_COMMAND if ix.type == ixs.APPLICATION_COMMAND else DEFAULT
        message = bot_message(
            self.world, channel, data, msg_type=msg_type, flags=flags, files=files
        )
        message.update(webhook_id=str(self.world.app_id), application_id=str(self.world.app_id))
        metadata = {
            "id": str(ix.id),
            "type": ix.type,
            "user": ix.payload["member"]["user"],
            "authorizing_integration_owners": ix.payload["authorizing_integration_owners"],
        }
        if ix.payload.get("message"):
            metadata["interacted_message_id"] = ix.payload["message"]["id"]
        message["interaction_metadata"] = metadata
        return message

    def _callback_body(
        self, ix: FakeInteraction, kind: int, message: dict[str, Any] | None
    ) -> dict[str, Any]:
        flags = int((message or {}).get("flags") or 0)
        body: dict[str, Any] = {
            "interaction": {
                "id": str(ix.id),
                "type": ix.type,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": kind == ixs.DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(flags & FLAG_EPHEMERAL),
            }
        }
        if message is not None:
            body["resource"] = {"type": kind, "message": message}
        return body

    # ---- follow-ups and edits ------------------------------------------------------------

    def _by_token(self, call: Call) -> FakeInteraction | None:
        if call.params["app_id"] != str(self.world.app_id):
            return None
        return self.fake.interactions_by_token.get(call.params["token"])

    async def followup(self, call: Call) -> web.Response:
        """POST /webhooks/{app}/{token}?wait=1: a follow-up (the first after a defer fills it)."""
        ix = self._by_token(call)
        if ix is None or ix.callback_type is None:
            return self._reject(
                ix, call, 404, 10015, "Unknown Webhook (follow-up before the initial response)"
            )
        err = check_body(self.fake, call, call.json)
        if err is not None:
            ix.rejected.append(call.failures[-1])
            return err
        channel_id = int(ix.payload["channel_id"])
        if ix.loading and ix.original is not None:
            message = ix.original
            apply_edit(self.world, message, {"attachments": [], **call.json}, call.files)
            ix.loading = False
            await self.fake.store_bot_message(
                "followup", channel_id, message, call.json, interaction=ix, update=True
            )
        else:
            flags = int(call.json.get("flags") or 0) & MESSAGE_FLAGS_ALLOWED
            message = self._new_message(ix, call.json, flags, call.files)
            ix.track(message)
            await self.fake.store_bot_message(
                "followup", channel_id, message, call.json, interaction=ix
            )
        ix.record("followup", call.json, visible=call.json)
        wait = call.query.get("wait", "false").lower() in ("1", "true")
        return json_reply(message) if wait else no_content()

    def _target(self, call: Call) -> tuple[FakeInteraction | None, dict[str, Any] | None]:
        ix = self._by_token(call)
        if ix is None:
            return None, None
        ref = call.params["message_id"]
        mid = ix.original_id if ref == "@original" else int(ref) if ref.isdigit() else None
        if mid is None or mid not in ix.message_ids:
            return ix, None
        return ix, self.world.messages.get(mid)

    async def get_message(self, call: Call) -> web.Response:
        """GET /webhooks/{app}/{token}/messages/{id|@original}."""
        ix, message = self._target(call)
        if ix is None:
            return self._reject(ix, call, 404, 10015, "Unknown Webhook")
        return json_reply(message) if message else error_reply(404, 10008, "Unknown Message")

    async def edit_message(self, call: Call) -> web.Response:
        """PATCH /webhooks/{app}/{token}/messages/{id|@original}."""
        ix, message = self._target(call)
        if ix is None or message is None:
            return self._reject(ix, call, 404, 10015 if ix is None else 10008, "Unknown Message")
        err = check_body(self.fake, call, call.json, partial=True, existing=message)
        if err is not None:
            ix.rejected.append(call.failures[-1])
            return err
        original = int(message["id"]) == ix.original_id
        kind = "edit_original" if original else "edit_followup"
        apply_edit(self.world, message, call.json, call.files)
        if original:
            ix.loading = False
        await self.fake.store_bot_message(
            kind, int(message["channel_id"]), message, call.json, interaction=ix, update=True
        )
        ix.record(kind, call.json, visible=call.json)
        return json_reply(message)

    async def delete_message(self, call: Call) -> web.Response:
        """DELETE /webhooks/{app}/{token}/messages/{id|@original}."""
        ix, message = self._target(call)
        if ix is None or message is None:
            return self._reject(ix, call, 404, 10008, "Unknown Message")
        original = int(message["id"]) == ix.original_id
        await self.fake.delete_message(message)
        ix.record("delete_original" if original else "delete_followup", {"id": message["id"]})
        return no_content()
