"""`citebot`: the terminal shell over the answer engine, and the entry point of the bot."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click

from index.engine import Engine, default_index_dir
from index.errors import CitebotError, EmptyQuestionError, UsageError
from index.jsonl import text_field
from index.serialize import answer_to_json
from index.settings import SearchSettings

from ..logs import configure_logging
from .batch import echo_json_lines
from .render import render_answer, render_issues, render_sources

log = logging.getLogger(__name__)
BOT_COMMANDS = ("run", "sync")  # commands that read a config file (and its log_level)


class CitebotGroup(click.Group):
    """A click group that turns citebot's typed errors into one clean line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; user mistakes become a message, not a traceback."""
        try:
            return super().invoke(ctx)
        except CitebotError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # The reader went away (`citebot ask … | head`): nothing is wrong and nothing more
            # can be shown. Later writes, and the flush at exit, go nowhere (Python's advice for
            # SIGPIPE); the exit code is the usual 1 of a failed write.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except OSError as exc:  # the environment: a read-only folder, a full disk, a bad path
            log.debug("environment error", exc_info=True)
            raise click.ClickException(_os_error_line(exc)) from None


def _is_text(text: str) -> bool:
    """Whether a string can be written out (no lone surrogates from undecodable bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _os_error_line(exc: OSError) -> str:
    """An OSError as one line: what failed, and on which path."""
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


class FolderPath(click.Path):
    """A folder path; an empty one is refused (it would mean the current folder)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        """The path, or a usage error for "" (`--index "$VAR"` with VAR unset)."""
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path (an unset variable?)", param, ctx)
        return super().convert(value, param, ctx)


sources_option = click.option(
    "--sources", "sources_dir", type=FolderPath(path_type=Path, file_okay=False),
    default=lambda: os.environ.get("CITEBOT_SOURCES", "sources"), show_default="./sources",
    help="Folder of source documents (.md, .txt) and issues.toml.")
index_option = click.option(
    "--index", "index_dir", type=FolderPath(path_type=Path, file_okay=False), default=None,
    help="Folder for the saved index. [default: a folder in your cache]")
top_option = click.option("--top", type=click.IntRange(1, 25), default=3, show_default=True,
                          help="How many passages (a turn, in chat).")
context_option = click.option("--context", type=click.IntRange(0, 5), default=1,
                              show_default=True,
                              help="Neighbouring sentences on each side of the match.")


def open_engine(sources_dir: Path, index_dir: Path | None) -> Engine:
    """An engine over the sources, its index loaded or rebuilt when stale."""
    engine = Engine(sources_dir, index_dir or default_index_dir(sources_dir),
                    settings=SearchSettings.from_environment(os.environ))
    engine.open()  # a rebuild is logged by the engine
    return engine


@click.group(cls=CitebotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True,
              help="More log output (-vv for debug); the bot's level is its config's log_level.")
@click.version_option(package_name="citebot")
@click.pass_context
def main(ctx: click.Context, verbose: int) -> None:
    """Answer questions about a folder of documents by quoting them, with citations."""
    if ctx.invoked_subcommand not in BOT_COMMANDS:  # the bot sets its own up from its config
        configure_logging([logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                          timestamps=False)


@main.command()
@click.argument("question", required=False, default="")
@top_option
@click.option("--source", help="Only this source (an id from `citebot sources`).")
@context_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--batch", type=click.File("rb"),
              help="With --json: read JSON lines {question, source?}, print one object a line.")
@sources_option
@index_option
def ask(question: str, top: int, source: str | None, context: int, as_json: bool,
        batch: Any, sources_dir: Path, index_dir: Path | None) -> None:
    """Answer QUESTION with the best-matching passages and their citations."""
    if batch is not None and not as_json:
        raise UsageError("--batch needs --json")
    if not _is_text(question):
        raise UsageError("the question is not valid text (undecodable bytes)")
    if batch is None and not question.strip():
        raise EmptyQuestionError("give a question, e.g. citebot ask \"what does Russia want?\"")
    engine = open_engine(sources_dir, index_dir)
    if batch is None:
        result = engine.ask(question, top=top, source=source, context=context)
        click.echo(json.dumps(answer_to_json(result), ensure_ascii=False) if as_json
                   else render_answer(result))
        return
    _answer_batch(engine, batch, top=top, source=source, context=context)


def _answer_batch(engine: Engine, lines: Iterable[bytes], *, top: int, source: str | None,
                  context: int) -> None:
    """Answer JSON lines one by one; a bad line gets an error object in its place."""
    def answer_line(row: Mapping[str, Any]) -> dict[str, Any]:
        q = text_field(row, "question", required=True)
        src = text_field(row, "source") if "source" in row else source
        return answer_to_json(engine.ask(str(q), top=top, source=src, context=context))

    echo_json_lines(lines, answer_line)


@main.command("index")
@sources_option
@index_option
def index_cmd(sources_dir: Path, index_dir: Path | None) -> None:
    """Build (or rebuild) the index and print a summary."""
    engine = Engine(sources_dir, index_dir or default_index_dir(sources_dir))
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= 100:  # files; small folders index in a blink
            bar = click.progressbar(length=total, label="reading sources", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        report = engine.rebuild(progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"indexed {report.sources} sources, {report.sentences} sentences "
               f"in {report.seconds:.2f} s → {engine.index_dir}")
    for source_id, reason in report.skipped:
        click.echo(f"skipped {source_id}: {reason}", err=True)


@main.command()
@sources_option
@index_option
def sources(sources_dir: Path, index_dir: Path | None) -> None:
    """List the indexed sources."""
    engine = open_engine(sources_dir, index_dir)
    click.echo(render_sources(engine.sources()))
    for source_id, reason in engine.snapshot.skipped:
        click.echo(f"skipped {source_id}: {reason}", err=True)


@main.command()
@sources_option
@index_option
def issues(sources_dir: Path, index_dir: Path | None) -> None:
    """List the sticking points (issues) and the sides they can be narrowed to."""
    click.echo(render_issues(open_engine(sources_dir, index_dir).snapshot.topics))


@main.command()
@click.argument("key")
@click.option("--side", help="Only passages about this party (e.g. russia).")
@click.option("--question", default="", help="Narrow the issue further.")
@top_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@sources_option
@index_option
def issue(key: str, side: str | None, question: str, top: int, as_json: bool,
          sources_dir: Path, index_dir: Path | None) -> None:
    """The passages for one sticking point KEY (see `citebot issues`)."""
    result = open_engine(sources_dir, index_dir).ask_issue(key, side=side, question=question,
                                                           top=top)
    click.echo(json.dumps(answer_to_json(result), ensure_ascii=False) if as_json
               else render_answer(result))


@main.command("eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@top_option
@context_option
@sources_option
@index_option
def eval_cmd(file: Path, top: int, context: int, sources_dir: Path,
             index_dir: Path | None) -> None:
    """Score a question file (JSON lines: question, expect) beside plain BM25, as `ask` answers.

    A conversation file (rows with "turns") is scored turn by turn, each follow-up beside the
    same turn written out in full.
    """
    engine = open_engine(sources_dir, index_dir)
    from index.evaluate import compare, load_questions  # only `eval` scores question files
    from index.evaluate_conversations import is_conversation_file, score_file

    if is_conversation_file(file):
        click.echo("\n".join(score_file(
            file, lambda q, h: engine.ask_turn(q, h, top=top, context=context),
            lambda q: engine.ask(q, top=top, context=context))))
        return
    questions = load_questions(file)
    for name, report in compare(engine, questions, top=top, context=context):
        click.echo(f"== {name}")
        click.echo("\n".join(report.lines()))


config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    default=lambda: os.environ.get("CITEBOT_CONFIG", "config.toml"), show_default="./config.toml",
    help="Bot configuration file (see config.example.toml).")


@main.command()
@config_option
def run(config_path: Path) -> None:
    """Start the Discord bot (token from DISCORD_TOKEN or the config file)."""
    from bot.runner import run as run_bot  # lazily: only the bot needs discord

    sys.exit(run_bot(config_path))


@main.command()
@config_option
def sync(config_path: Path) -> None:
    """Register the slash commands with Discord now, even if unchanged since the last sync."""
    from bot.runner import sync as sync_commands

    sys.exit(sync_commands(config_path))


from .add import add_cmd  # noqa: E402  (below: it uses the options defined above)
from .chat import chat  # noqa: E402

main.add_command(add_cmd)
main.add_command(chat)
