"""`citebot chat`: a conversation in the terminal, or JSON-lines conversations in a batch."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import click

from index.continuation import continued
from index.conversation import MAX_TURNS, Turn, next_turn
from index.engine import Engine
from index.errors import CitebotError, UsageError
from index.jsonl import text_field
from index.models import Answer
from index.serialize import answer_to_json

from . import context_option, index_option, open_engine, sources_option, top_option
from .batch import echo_json_lines
from .render import render_answer, render_passage

PROMPT = "you> "
HELP = "Ask a question; follow-ups read it with the earlier turns. :new starts over, " \
       ":more shows the next passages, Ctrl-D leaves."


@dataclass
class Conversation:
    """One terminal conversation, in memory: the turns so far and how many passages were shown."""

    turns: list[Turn] = field(default_factory=list)
    shown: int = 0

    def remember(self, question: str, result: Answer) -> None:
        """Add a turn (keeping the last few), recording the passages shown."""
        self.turns = [*self.turns, next_turn(self.turns, question, result)][-MAX_TURNS:]
        self.shown = len(result.passages)


def chat_json(result: Answer, conversation_id: str) -> dict[str, Any]:
    """The JSON line of one turn: `citebot ask --json`'s shape plus conversation and reading."""
    return {**answer_to_json(result), "conversation": conversation_id,
            "understood_as": result.understood_as}


def run_batch(engine: Engine, lines: Iterable[bytes], *, top: int, context: int) -> None:
    """Answer JSON lines {conversation, question}, each id's turns in order; one object a line.

    As `citebot ask --batch`: a bad line gets {"line", "error"} in its place (its conversation
    goes on without it), the rest are answered, and the command then fails naming the lines.
    """
    conversations: dict[str, Conversation] = {}

    def answer_line(row: Mapping[str, Any]) -> dict[str, Any]:
        conversation_id = str(text_field(row, "conversation", required=True))
        question = str(text_field(row, "question", required=True))
        state = conversations.setdefault(conversation_id, Conversation())
        result = engine.ask_turn(question, state.turns, top=top, context=context)
        state.remember(question, result)
        return chat_json(result, conversation_id)

    echo_json_lines(lines, answer_line)


def _reading(result: Answer) -> str:
    """The "Reading this as" line above an answer that used earlier turns."""
    return f"Reading this as: {result.understood_as}\n\n" if result.understood_as else ""


def _more(engine: Engine, state: Conversation, top: int, context: int) -> str:
    """The next passages for the last question."""
    if not state.turns:
        return "Nothing to show more of yet: ask a question first."
    last = state.turns[-1]
    result = continued(lambda k: engine.ask_turn(last.question, state.turns[:-1], top=k,
                                                 context=context), shown=state.shown, step=top)
    extra = result.passages[state.shown:]
    if not extra:
        return "No more passages."
    state.shown += len(extra)
    return "\n\n".join(render_passage(p) for p in extra)


def run_interactive(engine: Engine, *, top: int, context: int) -> None:
    """Read questions at a prompt until Ctrl-D; each reads with the conversation so far."""
    with contextlib.suppress(ImportError):  # not on every platform; chat works without it
        import readline  # noqa: F401  (line editing and history for input())
    click.echo(HELP)
    state = Conversation()
    while True:
        try:
            line = input(PROMPT).strip()
        except EOFError:
            click.echo()
            return
        except KeyboardInterrupt:
            click.echo()
            continue
        if not line:
            continue
        if line == ":new":
            state = Conversation()
            click.echo("New conversation.")
        elif line == ":more":
            click.echo(_more(engine, state, top, context))
        else:
            try:
                result = engine.ask_turn(line, state.turns, top=top, context=context)
            except CitebotError as exc:  # a bad turn is reported; the conversation goes on
                click.echo(f"Error: {exc}", err=True)
                continue
            state.remember(line, result)
            click.echo(_reading(result) + render_answer(result))


@click.command()
@top_option
@context_option
@click.option("--json", "as_json", is_flag=True, help="With --batch: print JSON lines.")
@click.option("--batch", type=click.File("rb"),
              help="With --json: read JSON lines {conversation, question}; one object a line out.")
@sources_option
@index_option
def chat(top: int, context: int, as_json: bool, batch: BinaryIO | None, sources_dir: Path,
         index_dir: Path | None) -> None:
    """Talk with the sources: follow-up questions read with the earlier turns."""
    if (batch is None) != (not as_json):
        raise UsageError("--json and --batch go together")
    engine = open_engine(sources_dir, index_dir)
    if batch is not None:
        run_batch(engine, batch, top=top, context=context)
    else:
        # A person types between turns: meanwhile, on a thread, the passages are embedded (at
        # half a core) so that later answers embed only the question (index/semantic).
        engine.keep_warm()
        try:
            run_interactive(engine, top=top, context=context)
        finally:
            engine.stop_warming()
