"""What a member asked for, as typed values: a free question, or one sticking point."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class AskRequest:
    """A free question, optionally limited to one source."""

    question: str
    source: str | None = None


@dataclass(frozen=True)
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
    else:
        data = {"kind": "issue", "key": request.key, "side": request.side,
                "question": request.question}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def request_from_json(text: str) -> Request:
    """The request from its stored text; ValueError when it is not one."""
    try:
        data = json.loads(text)
        if data["kind"] == "ask":
            return AskRequest(question=str(data["question"]), source=_optional(data["source"]))
        if data["kind"] == "issue":
            return IssueRequest(key=str(data["key"]), side=_optional(data["side"]),
                                question=str(data["question"]))
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"not a stored request: {text[:80]!r}") from exc
    raise ValueError(f"unknown request kind in {text[:80]!r}")


def _optional(value: object) -> str | None:
    """A stored optional string."""
    return None if value is None else str(value)
