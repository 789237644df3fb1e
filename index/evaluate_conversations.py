"""Scoring a conversation file (as shared/eval/conversations_dev.jsonl): follow-ups vs written out.

Each follow-up is asked three ways: in its conversation (what users get), written out in full
(`meant`, what the ranking alone can do) and alone (what it got before conversations existed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .conversation import Turn, next_turn
from .errors import UsageError
from .evaluate import expectations
from .models import Answer

AskTurn = Callable[[str, Sequence[Turn]], Answer]
Ask = Callable[[str], Answer]


@dataclass(frozen=True, kw_only=True)
class EvalTurn:
    """One turn: what is said, what makes it right (None: must decline), its kind and full form."""

    say: str
    expect: tuple[str, ...] | None
    kind: str = "first"
    meant: str | None = None


@dataclass(frozen=True, kw_only=True)
class EvalConversation:
    """A conversation id and its turns, in order."""

    conversation_id: str
    turns: tuple[EvalTurn, ...]


@dataclass(frozen=True, kw_only=True)
class TurnOutcome:
    """How one turn went, asked in conversation, written out, and alone (rank of first hit)."""

    conversation_id: str
    turn: EvalTurn
    in_conversation: tuple[int | None, bool]  # (first hit rank, answered)
    meant: tuple[int | None, bool]
    alone: tuple[int | None, bool]
    understood_as: str | None


def is_conversation_file(path: Path) -> bool:
    """Whether a JSON-lines file holds conversations (rows with "turns"), not questions."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
        return isinstance(row := json.loads(first), dict) and "turns" in row
    except (OSError, ValueError, UnicodeDecodeError):
        return False


def load_conversations(path: Path) -> list[EvalConversation]:
    """Read a conversation file; UsageError naming the line when one is malformed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            turns = tuple(EvalTurn(say=str(t["say"]), expect=expectations(t.get("expect")),
                                   kind=str(t.get("kind", "first" if i == 0 else "follow-up")),
                                   meant=t.get("meant")) for i, t in enumerate(row["turns"]))
            out.append(EvalConversation(conversation_id=str(row["id"]), turns=turns))
        except (ValueError, KeyError, TypeError, AttributeError, UsageError):
            raise UsageError(f"{path}:{number}: expected {{\"id\": …, \"turns\": [{{\"say\": …, "
                             f"\"expect\": …}}]}}") from None
    return out


def _outcome(result: Answer, expect: tuple[str, ...] | None) -> tuple[int | None, bool]:
    """The rank of the first passage holding an expected substring, and whether it answered."""
    hits = [p.rank for p in result.passages
            if expect is not None and any(e in p.text for e in expect)]
    return (min(hits) if hits else None), result.answered


def evaluate_conversations(conversations: Sequence[EvalConversation], ask_turn: AskTurn,
                           ask: Ask) -> list[TurnOutcome]:
    """Ask every turn in its conversation, written out and alone; score each."""
    outcomes = []
    for conversation in conversations:
        history: list[Turn] = []
        for turn in conversation.turns:
            result = ask_turn(turn.say, history)
            alone = _outcome(ask(turn.say), turn.expect)
            meant = _outcome(ask(turn.meant), turn.expect) if turn.meant else alone
            outcomes.append(TurnOutcome(conversation_id=conversation.conversation_id, turn=turn,
                                        in_conversation=_outcome(result, turn.expect),
                                        meant=meant, alone=alone,
                                        understood_as=result.understood_as))
            history.append(next_turn(history, turn.say, result))
    return outcomes


def _right(outcome: tuple[int | None, bool], expect: tuple[str, ...] | None, k: int) -> bool:
    """Right at k: a hit within the first k passages, or a decline where nothing answers.

    As acceptance scores it: an answerable turn that is declined is a miss at every rank.
    """
    rank, answered = outcome
    if expect is None:
        return not answered
    return answered and rank is not None and rank <= k


def _row(label: str, rows: Sequence[TurnOutcome]) -> str:
    """One table line: hit@1 and hit@3 in conversation, written out, and alone."""
    def share(attr: str, k: int) -> str:
        return f"{sum(_right(getattr(o, attr), o.turn.expect, k) for o in rows) / len(rows):.2f}"
    return (f"{label:<12} {len(rows):>3}   {share('in_conversation', 1)} "
            f"{share('in_conversation', 3)}   {share('meant', 1)} {share('meant', 3)}   "
            f"{share('alone', 1)} {share('alone', 3)}")


def report_lines(outcomes: Sequence[TurnOutcome]) -> list[str]:
    """The figures as text: first turns, follow-ups (answerable), declines, per kind; misses."""
    first = [o for o in outcomes if o.turn.kind == "first"]
    follow = [o for o in outcomes if o.turn.kind != "first"]
    answerable = [o for o in follow if o.turn.expect is not None]
    uncovered = [o for o in follow if o.turn.expect is None]
    lines = ["kind           n   chat@1 @3   meant@1 @3  alone@1 @3"]
    for label, rows in (("first turns", first), ("follow-ups", answerable)):
        if rows:
            lines.append(_row(label, rows))
    declined = sum(not o.in_conversation[1] for o in uncovered)
    lines.append(f"uncovered follow-ups declined: {declined}/{len(uncovered)} (written out: "
                 f"{sum(not o.meant[1] for o in uncovered)}/{len(uncovered)})")
    lines.append("per kind (follow-ups; uncovered: share declined):")
    for kind in sorted({o.turn.kind for o in follow}):
        lines.append(_row("  " + kind, [o for o in follow if o.turn.kind == kind]))
    for o in outcomes:
        if not _right(o.in_conversation, o.turn.expect, 1):
            lines.append(f"  miss {o.conversation_id} {o.turn.kind}: {o.turn.say!r} "
                         f"(first hit {o.in_conversation[0]}; read as {o.understood_as!r})")
    return lines


def score_file(path: Path, ask_turn: AskTurn, ask: Ask) -> list[str]:
    """Load a conversation file, ask every turn three ways, and report the figures as lines."""
    return report_lines(evaluate_conversations(load_conversations(path), ask_turn, ask))
