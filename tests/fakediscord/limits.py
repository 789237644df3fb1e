"""Discord's documented size limits, checked the way Discord answers them (400, code 50035)."""

from __future__ import annotations

import re
from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_NAME_MAX = 256
ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
CUSTOM_ID_MAX = 100
LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
PLACEHOLDER_MAX = 150
V2_COMPONENTS_MAX = 40
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
COMMAND_NAME_RE = re.compile(r"^[-_\w]{1,32}$")
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
MODAL_TITLE_MAX = 45
FLAG_EPHEMERAL = 1 << 6
FLAG_COMPONENTS_V2 = 1 << 15
SELECT_TYPES = (3, 5, 6, 7, 8)
ACTION_ROW, BUTTON, TEXT_INPUT = 1, 2, 4

Path = tuple[str | int, ...]


class FormErrors:
    """Collects errors into Discord's nested `errors` object."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}
        self.lines: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.lines)

    def add(self, path: Path, code: str, message: str) -> None:
        """Add one error at `path` (e.g. ("embeds", 0, "title"))."""
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
        self.lines.append(f"{'.'.join(str(p) for p in path) or '<body>'}: {message}")

    def max_len(self, path: Path, value: Any, limit: int, minimum: int = 0) -> None:
        """Check a string's (or list's) length is within [minimum, limit]."""
        if value is None:
            if minimum:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return
        size = len(value)
        if minimum and not minimum <= size <= limit:
            self.add(
                path, "BASE_TYPE_BAD_LENGTH", f"Must be between {minimum} and {limit} in length."
            )
        elif size > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def body(self) -> dict[str, Any]:
        """Return Discord's error JSON."""
        return {"code": 50035, "message": "Invalid Form Body", "errors": self.tree}

    def summary(self) -> str:
        """Return a one-line summary of all errors."""
        return "; ".join(self.lines)


def _embed_chars(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def check_embed(errors: FormErrors, embed: dict[str, Any], path: Path) -> None:
    """Check one embed's per-field limits."""
    for key, limit in EMBED_LIMITS.items():
        errors.max_len((*path, key), embed.get(key) or "", limit)
    errors.max_len(
        (*path, "footer", "text"), (embed.get("footer") or {}).get("text") or "", FOOTER_MAX
    )
    errors.max_len(
        (*path, "author", "name"), (embed.get("author") or {}).get("name") or "", AUTHOR_NAME_MAX
    )
    fields = embed.get("fields") or []
    errors.max_len((*path, "fields"), fields, FIELDS_MAX)
    for i, f in enumerate(fields):
        errors.max_len((*path, "fields", i, "name"), f.get("name"), FIELD_NAME_MAX, 1)
        errors.max_len((*path, "fields", i, "value"), f.get("value"), FIELD_VALUE_MAX, 1)


def check_embeds(errors: FormErrors, embeds: list[dict[str, Any]]) -> None:
    """Check the embeds array: count, each embed, and the 6000-character total."""
    errors.max_len(("embeds",), embeds, EMBEDS_MAX)
    for i, embed in enumerate(embeds):
        check_embed(errors, embed, ("embeds", i))
    total = sum(_embed_chars(e) for e in embeds)
    if total > EMBED_TOTAL_MAX:
        msg = f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX} (got {total})"
        errors.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", msg)


def _check_button(errors: FormErrors, button: dict[str, Any], path: Path) -> None:
    errors.max_len((*path, "label"), button.get("label") or "", LABEL_MAX)
    if not button.get("label") and not button.get("emoji"):
        errors.add((*path, "label"), "BASE_TYPE_REQUIRED", "A button needs a label or an emoji")
    if button.get("style") == 5:
        if not button.get("url"):
            errors.add((*path, "url"), "BASE_TYPE_REQUIRED", "This field is required")
    elif button.get("style") != 6:
        errors.max_len((*path, "custom_id"), button.get("custom_id"), CUSTOM_ID_MAX, 1)


def _check_select(errors: FormErrors, select: dict[str, Any], path: Path) -> None:
    errors.max_len((*path, "custom_id"), select.get("custom_id"), CUSTOM_ID_MAX, 1)
    errors.max_len((*path, "placeholder"), select.get("placeholder") or "", PLACEHOLDER_MAX)
    if select.get("type") == 3:
        options = select.get("options") or []
        errors.max_len((*path, "options"), options, SELECT_OPTIONS_MAX, 1)
        for i, opt in enumerate(options):
            for key in ("label", "value"):
                errors.max_len((*path, "options", i, key), opt.get(key), 100, 1)
            errors.max_len((*path, "options", i, "description"), opt.get("description") or "", 100)


def _check_row(errors: FormErrors, row: dict[str, Any], path: Path) -> None:
    children = row.get("components") or []
    if row.get("type") != ACTION_ROW:
        errors.add(
            (*path, "type"), "UNION_TYPE_CHOICES", "Top-level components must be action rows"
        )
        return
    errors.max_len((*path, "components"), children, ROW_BUTTONS_MAX, 1)
    for j, child in enumerate(children):
        if child.get("type") == BUTTON:
            _check_button(errors, child, (*path, "components", j))
        elif child.get("type") in SELECT_TYPES:
            _check_select(errors, child, (*path, "components", j))
            if len(children) > 1:
                msg = "A select menu must be alone in its action row"
                errors.add((*path, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", msg)


def _walk_custom_ids(components: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for c in components:
        if c.get("custom_id"):
            found.append(c["custom_id"])
        found += _walk_custom_ids(c.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(c.get(key), dict):
                found += _walk_custom_ids([c[key]])
    return found


def _count_components(components: list[dict[str, Any]]) -> int:
    total = 0
    for c in components:
        total += 1 + _count_components(c.get("components") or [])
        total += sum(1 for key in ("accessory", "component") if isinstance(c.get(key), dict))
    return total


def check_components(errors: FormErrors, components: list[dict[str, Any]], flags: int) -> None:
    """Check action rows, buttons, selects and duplicate custom_ids."""
    if flags & FLAG_COMPONENTS_V2:
        if _count_components(components) > V2_COMPONENTS_MAX:
            msg = f"Must be {V2_COMPONENTS_MAX} or fewer in total."
            errors.add(("components",), "BASE_TYPE_MAX_LENGTH", msg)
    else:
        errors.max_len(("components",), components, ACTION_ROWS_MAX)
        for i, row in enumerate(components):
            _check_row(errors, row, ("components", i))
    ids = _walk_custom_ids(components)
    if len(ids) != len(set(ids)):
        errors.add(
            ("components",), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id is duplicated"
        )


def check_allowed_mentions(errors: FormErrors, allowed: dict[str, Any] | None) -> None:
    """Check allowed_mentions is well formed."""
    if not allowed:
        return
    parse = allowed.get("parse") or []
    for value in parse:
        if value not in ("roles", "users", "everyone"):
            errors.add(("allowed_mentions", "parse"), "ENUM_TYPE_COERCE", f"Bad value {value!r}")
    for key in ("users", "roles"):
        if key in parse and allowed.get(key):
            msg = f"parse:[{key}] and {key}: [ids] are mutually exclusive."
            errors.add(("allowed_mentions",), "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", msg)
        errors.max_len(("allowed_mentions", key), allowed.get(key) or [], 100)


def check_message(payload: dict[str, Any], *, partial: bool = False) -> FormErrors:
    """Check a message body (channel message, interaction response, follow-up or edit)."""
    errors = FormErrors()
    flags = int(payload.get("flags") or 0)
    if payload.get("content") is not None:
        errors.max_len(("content",), payload["content"], CONTENT_MAX)
    if payload.get("embeds") is not None:
        check_embeds(errors, payload["embeds"])
    if payload.get("components") is not None:
        check_components(errors, payload["components"], flags)
    check_allowed_mentions(errors, payload.get("allowed_mentions"))
    if flags & FLAG_COMPONENTS_V2 and (payload.get("content") or payload.get("embeds")):
        msg = "content and embeds cannot be used with IS_COMPONENTS_V2"
        errors.add(("content",), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", msg)
    return errors


def is_empty_message(message: dict[str, Any], attachments: int = 0) -> bool:
    """Whether a (resulting) message has nothing to show: Discord answers 50006."""
    keys = ("content", "embeds", "components", "sticker_ids", "poll", "attachments")
    return not attachments and not any(message.get(k) for k in keys)


def check_choices(choices: list[dict[str, Any]]) -> FormErrors:
    """Check an autocomplete result (callback type 8)."""
    errors = FormErrors()
    errors.max_len(("data", "choices"), choices, CHOICES_MAX)
    for i, choice in enumerate(choices):
        errors.max_len(("data", "choices", i, "name"), choice.get("name"), CHOICE_NAME_MAX, 1)
        if isinstance(choice.get("value"), str):
            errors.max_len(("data", "choices", i, "value"), choice["value"], 100)
    return errors


def check_modal(data: dict[str, Any]) -> FormErrors:
    """Check a modal (callback type 9)."""
    errors = FormErrors()
    errors.max_len(("data", "title"), data.get("title"), MODAL_TITLE_MAX, 1)
    errors.max_len(("data", "custom_id"), data.get("custom_id"), CUSTOM_ID_MAX, 1)
    errors.max_len(("data", "components"), data.get("components") or [], 5, 1)
    return errors
