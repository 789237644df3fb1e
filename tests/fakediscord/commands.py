"""Application command definitions: validation as Discord does it, echo with ids, option typing."""

from __future__ import annotations

from typing import Any

from .limits import (
    CHOICE_NAME_MAX,
    CHOICES_MAX,
    COMMAND_DESCRIPTION_MAX,
    COMMAND_NAME_RE,
    COMMAND_OPTIONS_MAX,
    FormErrors,
    Path,
)
from .state import Snowflakes

CHAT_INPUT = 1
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
COMMAND_CHARS_MAX = 4000
COMMANDS_MAX = 100


def _check_name(errors: FormErrors, name: Any, path: Path, chat_input: bool = True) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    elif chat_input and (not COMMAND_NAME_RE.match(name) or name != name.lower()):
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")


def _check_choices(errors: FormErrors, choices: list[dict[str, Any]], path: Path) -> None:
    errors.max_len((*path, "choices"), choices, CHOICES_MAX)
    for k, choice in enumerate(choices):
        errors.max_len((*path, "choices", k, "name"), choice.get("name"), CHOICE_NAME_MAX, 1)
        if isinstance(choice.get("value"), str):
            errors.max_len((*path, "choices", k, "value"), choice["value"], 100, 1)


def _check_options(
    errors: FormErrors, options: list[dict[str, Any]], path: Path, depth: int
) -> None:
    errors.max_len((*path, "options"), options, COMMAND_OPTIONS_MAX)
    seen_optional = False
    for j, opt in enumerate(options):
        where = (*path, "options", j)
        _check_name(errors, opt.get("name"), (*where, "name"))
        desc = opt.get("description")
        errors.max_len((*where, "description"), desc, COMMAND_DESCRIPTION_MAX, 1)
        kind = opt.get("type")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if depth >= (2 if kind == SUB_COMMAND else 1):
                msg = "Subcommands nested too deeply"
                errors.add((*where, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", msg)
            _check_options(errors, opt.get("options") or [], where, depth + 1)
            continue
        if opt.get("required"):
            if seen_optional:
                msg = "Required options must be placed before non-required options"
                errors.add(
                    (*where, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", msg
                )
        else:
            seen_optional = True
        if opt.get("autocomplete") and opt.get("choices"):
            msg = "Autocomplete cannot be used with choices"
            errors.add((*where, "autocomplete"), "AUTOCOMPLETE_CHOICES_MUTUALLY_EXCLUSIVE", msg)
        _check_choices(errors, opt.get("choices") or [], where)


def _chars(node: dict[str, Any]) -> int:
    total = len(node.get("name") or "") + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        total += len(choice.get("name") or "") + len(str(choice.get("value", "")))
    return total + sum(_chars(o) for o in node.get("options") or [])


def check_commands(commands: Any) -> FormErrors:
    """Check a bulk-overwrite body like Discord: names, descriptions, options, choices, sizes."""
    errors = FormErrors()
    if not isinstance(commands, list):
        errors.add((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return errors
    names: set[tuple[int, str]] = set()
    chat_inputs = 0
    for i, cmd in enumerate(commands):
        kind = cmd.get("type", CHAT_INPUT)
        chat = kind == CHAT_INPUT
        chat_inputs += chat
        _check_name(errors, cmd.get("name"), (i, "name"), chat_input=chat)
        if chat:
            errors.max_len((i, "description"), cmd.get("description"), COMMAND_DESCRIPTION_MAX, 1)
        elif cmd.get("description"):
            msg = "Context menu commands cannot have a description"
            errors.add((i, "description"), "APPLICATION_COMMAND_INVALID_DESCRIPTION", msg)
        _check_options(errors, cmd.get("options") or [], (i,), 0)
        if _chars(cmd) > COMMAND_CHARS_MAX:
            msg = f"Command exceeds maximum size ({COMMAND_CHARS_MAX})"
            errors.add((i,), "APPLICATION_COMMAND_TOO_LARGE", msg)
        key = (kind, str(cmd.get("name")))
        if key in names:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        names.add(key)
    if chat_inputs > COMMANDS_MAX:
        errors.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {COMMANDS_MAX} or fewer in length.")
    return errors


def echo_commands(
    commands: list[dict[str, Any]],
    previous: list[dict[str, Any]],
    *,
    app_id: int,
    guild_id: int | None,
    ids: Snowflakes,
) -> list[dict[str, Any]]:
    """Return the registered commands as Discord echoes them (ids kept for unchanged names)."""
    old = {(c.get("type", 1), c["name"]): c["id"] for c in previous}
    out = []
    for cmd in commands:
        kind = cmd.get("type", CHAT_INPUT)
        echoed = {
            "id": old.get((kind, cmd["name"])) or str(ids.next()),
            "application_id": str(app_id),
            "version": str(ids.next()),
            "type": kind,
            "name": cmd["name"],
            "description": cmd.get("description", ""),
            "options": cmd.get("options", []),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "nsfw": cmd.get("nsfw", False),
            "contexts": cmd.get("contexts"),
            "integration_types": cmd.get("integration_types", [0]),
        }
        if guild_id is not None:
            echoed["guild_id"] = str(guild_id)
        else:
            echoed["dm_permission"] = cmd.get("dm_permission", True)
        out.append(echoed)
    return out


def find_option(options: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """Find an option definition by name; ValueError if the command has no such option."""
    for opt in options:
        if opt["name"] == name:
            return opt
    known = [o["name"] for o in options]
    raise ValueError(f"command has no option {name!r}; it has {known}")


def walk_subcommand(
    command: dict[str, Any], subcommand: str | None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Return (path of group/subcommand names, the leaf's option definitions)."""
    path: list[str] = []
    options = command.get("options") or []
    for part in (subcommand or "").split():
        opt = find_option(options, part)
        if opt["type"] not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            raise ValueError(f"{part!r} is not a subcommand or group")
        path.append(part)
        options = opt.get("options") or []
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options):
        subs = [o["name"] for o in options]
        raise ValueError(f"/{command['name']} needs a subcommand= (one of {subs})")
    return path, options


def nest_options(
    path: list[str], command: dict[str, Any], leaf: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Wrap leaf options in their subcommand / group option objects."""
    chain = []
    options = command.get("options") or []
    for part in path:
        opt = find_option(options, part)
        chain.append(opt)
        options = opt.get("options") or []
    result = leaf
    for opt in reversed(chain):
        result = [{"name": opt["name"], "type": opt["type"], "options": result}]
    return result
