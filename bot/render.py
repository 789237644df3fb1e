"""Answers, source lists and issue lists as Discord embeds, within Discord's limits always."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import discord
from discord.utils import escape_markdown

from index.models import Answer, Citation, Passage, SourceInfo
from index.topics import Topics

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
ELLIPSIS = "…"
ZWSP = "\u200b"
_FOOTER_RESERVE = 160  # room kept for the footer when laying out fields
_MIN_FIELD = 120  # below this a passage is not worth showing
_COLOUR = discord.Colour.blurple()
_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]]+$")


@dataclass(frozen=True, kw_only=True)
class Rendered:
    """A message ready to send: content (possibly empty) and embeds."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)


def escape(text: str) -> str:
    """Neutralise markdown, mentions and every `<…>` Discord syntax in user or source text."""
    return escape_markdown(text.replace("@", "@" + ZWSP).replace("<", "<" + ZWSP))


def cut(text: str, limit: int, *, from_left: bool = False) -> str:
    """`text` within `limit` characters, cut at a word boundary with an ellipsis when too long."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:max(limit, 0)]
    room = limit - len(ELLIPSIS)
    if from_left:
        tail = text[len(text) - room:]
        space = tail.find(" ")
        tail = tail[space + 1:] if 0 <= space < room // 2 else tail
        return ELLIPSIS + tail.lstrip()
    head = text[:room]
    space = head.rfind(" ")
    head = head[:space] if space > room // 2 else head
    return head.rstrip().rstrip("\\") + ELLIPSIS


def citation_link(citation: Citation, limit: int = 400) -> str:
    """`Title — Outlet, date · Section · ¶N`, the title linked when the source has a usable url."""
    label = cut(escape(citation.text).replace("[", "\\[").replace("]", "\\]"), limit // 2)
    url = citation.url or ""
    title = escape(citation.title).replace("[", "\\[").replace("]", "\\]")
    if _SAFE_URL.match(url) and label.startswith(title) and len(label) + len(url) + 4 <= limit:
        return f"[{title}]({url}){label[len(title):]}"
    return label


def passage_body(passage: Passage, limit: int) -> str:
    """Format a passage: match in bold, citation under it, within `limit` characters."""
    cite = "— " + citation_link(passage.citation, min(400, limit // 2))
    if passage.also_reported:  # the same fact in other reports: named, not repeated
        cite += "\n" + cut(escape(passage.also_reported), min(300, limit // 4))
    room = limit - len(cite) - 1
    off = passage.match_offset
    match = escape(passage.match)
    before = escape(" ".join(passage.sentences[:off]))
    after = escape(" ".join(passage.sentences[off + 1:]))
    if len(match) + 4 >= room:
        text = f"**{cut(match, room - 4)}**"
    else:
        spare = room - len(match) - 4 - 2  # two joining spaces
        head = cut(before, max(spare // 2, spare - len(after)), from_left=True) if before else ""
        tail = cut(after, spare - len(head)) if after else ""
        text = " ".join(p for p in (head, f"**{match}**", tail) if p)
    return f"{text}\n{cite}"


def _embed_size(embed: discord.Embed) -> int:
    """Characters Discord counts towards the 6,000 limit."""
    return len(embed)


def question_title(prefix: str, question: str) -> str:
    """Build an embed title showing the (escaped, cut) question."""
    shown = escape(" ".join(question.split())) or "(empty question)"
    return cut(f"{prefix}{shown}", TITLE_MAX)


def render_answer(answer: Answer, *, skip: int = 0, notice: str = "",
                  title_prefix: str = "Q: ") -> Rendered:
    """Render an answer (or abstention) as one embed; `skip` passages were already shown."""
    content = cut(notice, CONTENT_MAX)
    passages = answer.passages[skip:]
    if not answer.answered or not answer.passages:
        return Rendered(content=content, embeds=[render_abstention(answer)])
    if not passages:
        embed = discord.Embed(title=question_title(title_prefix, answer.question),
                              description="No further passages.", colour=_COLOUR)
        return Rendered(content=content, embeds=[embed])
    embed = discord.Embed(title=question_title(title_prefix, answer.question), colour=_COLOUR)
    shown = _add_passages(embed, passages)
    footer = f"Passages {skip + 1}–{skip + shown} · quoted word for word from the sources"
    if shown < len(passages):
        footer += f" · {len(passages) - shown} more not shown"
    embed.set_footer(text=cut(footer, FOOTER_MAX))
    return Rendered(content=content, embeds=[embed])


def _add_passages(embed: discord.Embed, passages: Sequence[Passage]) -> int:
    """Add passages as fields while the embed stays within every limit; how many were added."""
    remaining = EMBED_TOTAL_MAX - _embed_size(embed) - _FOOTER_RESERVE
    shown = 0
    for i, passage in enumerate(passages[:FIELDS_MAX]):
        name = cut(f"{passage.rank}. {escape(passage.citation.title)}", 80)
        left = min(len(passages), FIELDS_MAX) - i
        budget = min(FIELD_VALUE_MAX, remaining // left - len(name))
        if budget < _MIN_FIELD:
            break
        value = passage_body(passage, budget)
        embed.add_field(name=name, value=value, inline=False)
        remaining -= len(name) + len(value)
        shown += 1
    return shown


def render_abstention(answer: Answer) -> discord.Embed:
    """Say what was not found, and where to look instead."""
    question = cut(escape(" ".join(answer.question.split())), 1500) or "(an empty question)"
    lines = [f"I found nothing in the sources that answers: *{question}*",
             answer.declined_because]
    if answer.unknown_terms:
        terms = cut(", ".join(escape(t) for t in answer.unknown_terms), 1000)
        lines.append(f"These words appear nowhere in the sources: {terms}.")
    lines.append("Try other words, or see **/issues** for the sticking points I can quote on.")
    embed = discord.Embed(title="No answer in the sources", colour=discord.Colour.light_grey(),
                          description=cut("\n\n".join(lines), DESCRIPTION_MAX))
    return embed


def _when(built_at: str) -> str:
    """Format an ISO timestamp as a Discord relative timestamp (as given if unparsable)."""
    try:
        return f"<t:{int(datetime.fromisoformat(built_at).timestamp())}:R>"
    except ValueError:
        return escape(built_at) or "unknown"


def _lines_embed(title: str, lines: Sequence[str], footer: str) -> discord.Embed:
    """Build an embed listing lines, cut (with a count) to Discord's limits."""
    body: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        line = cut(line, 1000)
        more = f"\n…and {len(lines) - i} more"
        if used + len(line) + 1 + len(more) > DESCRIPTION_MAX - 100:
            body.append(more.strip())
            break
        body.append(line)
        used += len(line) + 1
    embed = discord.Embed(title=cut(title, TITLE_MAX), colour=_COLOUR,
                          description="\n".join(body) or "Nothing yet.")
    embed.set_footer(text=cut(footer, FOOTER_MAX))
    return embed


def render_sources(sources: Sequence[SourceInfo], built_at: str) -> Rendered:
    """List what is indexed: title (linked), sentences, and when the index was built."""
    lines = []
    for s in sources:
        title = escape(s.title).replace("[", "\\[").replace("]", "\\]")
        shown = f"[{title}]({s.url})" if s.url and _SAFE_URL.match(s.url) else title
        lines.append(f"• {shown} — {s.sentences} sentences · `{s.source_id}`")
    total = sum(s.sentences for s in sources)
    embed = _lines_embed(f"Indexed sources ({len(sources)})", lines,
                         f"{total} sentences in all")
    embed.description = cut(f"{embed.description}\n\nIndexed {_when(built_at)}", DESCRIPTION_MAX)
    return Rendered(content="", embeds=[embed])


def render_issues(topics: Topics) -> Rendered:
    """List the sticking points as slash commands, and the sides a question can take."""
    lines = [f"• `/{i.key}` — **{escape(i.title)}**: {escape(i.description)}"
             for i in topics.issues]
    if not lines:
        lines = ["No sticking points are defined (add them to `issues.toml`)."]
    sides = ", ".join(escape(p.name) for p in topics.parties) or "none"
    return Rendered(content="", embeds=[_lines_embed("Sticking points", lines,
                                      cut(f"Optional side: {sides}", FOOTER_MAX))])
