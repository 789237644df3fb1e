"""What a member asked for, as typed values: a free question, or one sticking point."""

from __future__ import annotations

import json
from dataclasses import dataclass

from index.conversation import Turn
from index.models import PassageKey


@dataclass(frozen=True, kw_only=True)
class AskRequest:
    """A free question, optionally limited to one source; a follow-up carries earlier turns."""

    question: str
    source: str | None = None
    history: tuple[Turn, ...] = ()  # the conversation so far, oldest first (none: stands alone)


@dataclass(frozen=True, kw_only=True)
class IssueRequest:
    """One sticking point, optionally about one side and narrowed by the member's words."""

    key: str
    side: str | None = None
    question: str = ""


Request = AskRequest | IssueRequest


def request_to_json(request: Request) -> str:
    """The request as stored text (the feedback database keeps it for More and votes)."""
    if isinstance(request, AskRequest):
        data: dict[str, object] = {"kind": "ask", "question": request.question,
                                   "source": request.source}
        if request.history:  # so that More on a follow-up reads it the same way
            data["history"] = [_turn_to_json(t) for t in request.history]
    else:
        data = {"kind": "issue", "key": request.key, "side": request.side,
                "question": request.question}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def request_from_json(text: str) -> Request:
    """The request from its stored text; ValueError when it is not one."""
    try:
        data = json.loads(text)
        if data["kind"] == "ask":
            return AskRequest(question=str(data["question"]), source=_optional(data["source"]),
                              history=tuple(_turn_from_json(t) for t in data.get("history", ())))
        if data["kind"] == "issue":
            return IssueRequest(key=str(data["key"]), side=_optional(data["side"]),
                                question=str(data["question"]))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a stored request: {text[:80]!r}") from exc
    raise ValueError(f"unknown request kind in {text[:80]!r}")


def _optional(value: object) -> str | None:
    """A stored optional string."""
    return None if value is None else str(value)


def _turn_to_json(turn: Turn) -> dict[str, object]:
    """An earlier turn as stored: its words, issue and side, and the passage keys shown."""
    return {"question": turn.question, "issue": turn.issue, "side": turn.side,
            "shown": [str(k) for k in turn.shown]}


def _turn_from_json(data: dict[str, object]) -> Turn:
    """An earlier turn from its stored form."""
    shown = data.get("shown") or []
    if not isinstance(shown, list):
        raise ValueError("a stored turn's shown passages are not a list")
    return Turn(question=str(data["question"]), issue=_optional(data.get("issue")),
                side=_optional(data.get("side")), shown=tuple(PassageKey.parse(str(k))
                                                              for k in shown))
