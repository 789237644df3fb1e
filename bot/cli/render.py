"""Answers as terminal text: passages with matched words in bold, each with its citation."""

from __future__ import annotations

import re
import textwrap

import click

from index.models import Answer, Passage, SourceInfo
from index.topics import Topics

# C0 and C1 control characters (tab and newline aside): in a source's text they would drive the
# reader's terminal (clear it, retitle the window, forge a link); shown as U+FFFD instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """Text from a source, fit to print: control characters replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _bold_words(text: str, words: tuple[str, ...]) -> str:
    """The text with each matched word in bold (plain when not a terminal: click strips styles)."""
    if not words:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words, key=len,
                                                                     reverse=True))) + r")\b")
    return pattern.sub(lambda m: click.style(m.group(0), bold=True), text)


def render_passage(passage: Passage, width: int = 88) -> str:
    """One passage with the matched words in bold, then the citation."""
    # Wrap first: styling adds escape codes that would throw the line widths off.
    body = textwrap.fill(_plain(passage.text), width=width, initial_indent="   ",
                         subsequent_indent="   ", break_long_words=False)
    body = _bold_words(body, passage.matched_terms)
    link = f"\n   {_plain(passage.citation.url)}" if passage.citation.url else ""
    also = f"\n   {_plain(passage.also_reported)}" if passage.also_reported else ""
    return f"{passage.rank}. {body.lstrip()}\n   — {_plain(passage.citation.text)}{link}{also}"


def render_answer(answer: Answer) -> str:
    """A whole answer, or an abstention that says what was not found."""
    if not answer.answered:
        lines = [answer.declined_because]
        if answer.unknown_terms:
            lines.append("Not found anywhere in the sources: " + ", ".join(answer.unknown_terms))
        if answer.passages:
            lines.append("Closest passages (weak matches, shown for reference):")
            lines += [render_passage(p) for p in answer.passages]
        return "\n".join(lines)
    return "\n\n".join(render_passage(p) for p in answer.passages)


def render_sources(sources: list[SourceInfo]) -> str:
    """The indexed sources, one a line."""
    if not sources:
        return "No sources are indexed."
    return "\n".join(_plain(f"{s.source_id}  ({_count(s.sentences, 'sentence')})  {s.title}"
                            + (f"  <{s.url}>" if s.url else "")) for s in sources)


def _count(n: int, noun: str) -> str:
    """'1 sentence', '2 sentences'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def render_issues(topics: Topics) -> str:
    """The sticking points and parties, with their keys."""
    if not topics.issues:
        return "No issues are defined (add sources/issues.toml)."
    lines = [f"{i.key:<16} {i.title}: {i.description}" for i in topics.issues]
    if topics.parties:
        lines.append("sides: " + ", ".join(p.key for p in topics.parties))
    return "\n".join(lines)
