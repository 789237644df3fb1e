"""Rendering answers and lists as embeds: Discord's limits hold whatever the text."""

from __future__ import annotations

import pytest

from bot.render import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    Rendered,
    cut,
    escape,
    render_answer,
    render_issues,
    render_sources,
)
from index.models import Answer, Citation, Passage, SourceInfo
from index.topics import Issue, Party, Topics

from ..fakediscord.limits import FIELD_NAME_MAX  # Discord's limit: the bot sets no field names


def passage(rank: int = 1, sentences: tuple[str, ...] = ("Before.", "The match.", "After."),
            offset: int = 1, title: str = "The article", section: str | None = "Talks",
            url: str | None = "https://example.org/a") -> Passage:
    cite = Citation(source_id="article", title=title, section=section, paragraph=4, url=url)
    return Passage(rank=rank, score=1.0, sentences=sentences, match_offset=offset, citation=cite,
                   sentence_ids=tuple(range(len(sentences))))


def answer(*passages: Passage, question: str = "who runs the plant?") -> Answer:
    return Answer(question=question, answered=bool(passages), passages=tuple(passages))


def check_limits(rendered: Rendered) -> None:
    assert len(rendered.content) <= CONTENT_MAX
    assert 1 <= len(rendered.embeds) <= 10
    total = 0
    for embed in rendered.embeds:
        data = embed.to_dict()
        assert len(data.get("title", "")) <= TITLE_MAX
        assert len(data.get("description", "")) <= DESCRIPTION_MAX
        assert len(data.get("footer", {}).get("text", "")) <= FOOTER_MAX
        fields = data.get("fields", [])
        assert len(fields) <= FIELDS_MAX
        for f in fields:
            assert 0 < len(f["name"]) <= FIELD_NAME_MAX
            assert 0 < len(f["value"]) <= FIELD_VALUE_MAX
        total += len(embed)
    assert total <= EMBED_TOTAL_MAX


def test_passage_shows_bold_match_and_linked_citation() -> None:
    rendered = render_answer(answer(passage()))
    check_limits(rendered)
    value = rendered.embeds[0].fields[0].value
    assert "Before. **The match.** After." in value
    assert "[The article](https://example.org/a) · Talks · ¶4" in value


def test_citation_without_url_is_plain_text() -> None:
    value = render_answer(answer(passage(url=None))).embeds[0].fields[0].value
    assert value.endswith("— The article · Talks · ¶4")


def test_huge_passage_is_cut_at_a_word_with_ellipsis() -> None:
    words = " ".join(f"word{i}" for i in range(3000))
    rendered = render_answer(answer(passage(sentences=(words, words, words))))
    check_limits(rendered)
    value = rendered.embeds[0].fields[0].value
    assert "…" in value
    assert "**" in value
    body = value.split("\n")[0]
    assert all(w.startswith(("word", "**word", "…word")) or w in ("…", "**", "…**")
               for w in body.split())


def test_huge_match_alone_is_cut_and_still_bold() -> None:
    words = " ".join(["wordy"] * 5000)
    value = render_answer(answer(passage(sentences=(words,), offset=0))).embeds[0].fields[0].value
    assert value.startswith("**wordy") and "…**" in value
    assert len(value) <= FIELD_VALUE_MAX


def test_many_passages_fit_in_25_fields_and_6000_chars() -> None:
    long = " ".join(["lorem ipsum dolor"] * 200)
    many = [passage(rank=i, sentences=(long, long, long), title="T" * 300) for i in range(1, 41)]
    rendered = render_answer(answer(*many))
    check_limits(rendered)
    footer = rendered.embeds[0].footer.text or ""
    assert "more not shown" in footer


def test_question_of_6000_chars() -> None:
    question = "why " * 1500
    check_limits(render_answer(answer(passage(), question=question), notice="cut " * 700))
    check_limits(render_answer(Answer(question=question, answered=False, passages=())))


def test_emoji_only_question() -> None:
    rendered = render_answer(Answer(question="🕊️🇺🇦🤝", answered=False, passages=()))
    check_limits(rendered)
    assert "🕊️🇺🇦🤝" in (rendered.embeds[0].description or "")


@pytest.mark.parametrize("text", ["@everyone look", "@here now", "<@&123456789012345678> hi",
                                  "<@&123> hi", "<@!123456789012345678>", "<#123>"])
def test_mentions_in_sources_are_escaped(text: str) -> None:
    rendered = render_answer(answer(passage(sentences=(text,), offset=0),
                                    question=text))
    embed = rendered.embeds[0]
    for shown in (embed.fields[0].value, embed.title or ""):
        assert "@everyone" not in shown and "@here" not in shown
        assert "<@" not in shown and "<#" not in shown


def test_markdown_in_sources_is_escaped() -> None:
    value = render_answer(answer(passage(sentences=("a *b* _c_ `d` ~~e~~",),
                                         offset=0))).embeds[0].fields[0].value
    assert "\\*b\\*" in value and "\\_c\\_" in value


def test_abstention_says_what_and_points_to_issues() -> None:
    rendered = render_answer(Answer(question="what about quokkas", answered=False, passages=(),
                                    unknown_terms=("quokka",)))
    check_limits(rendered)
    text = rendered.embeds[0].description or ""
    assert "what about quokkas" in text
    assert "quokka" in text.split("nowhere")[1]
    assert "/issues" in text


def test_cut_prefers_a_word_boundary() -> None:
    assert cut("alpha beta gamma", 12) == "alpha beta…"
    assert cut("short", 10) == "short"
    assert len(cut("x" * 50, 10)) == 10


def test_escape_neutralises_everyone() -> None:
    assert "@everyone" not in escape("@everyone")


def test_sources_and_issues_lists_fit() -> None:
    infos = [SourceInfo(source_id=f"src-{i}", title="Title " * 40, url="https://example.org",
                        sentences=10, sha256="h")
             for i in range(300)]
    rendered = render_sources(infos, "2026-01-01T00:00:00+00:00")
    check_limits(rendered)
    assert "<t:" in (rendered.embeds[0].description or "")
    topics = Topics(issues=(Issue(key="territory", title="Territory", description="Who gets what",
                                  terms=("land",)),),
                    parties=(Party(key="russia", name="Russia", aliases=("Kremlin",)),))
    rendered = render_issues(topics)
    check_limits(rendered)
    assert "/territory" in (rendered.embeds[0].description or "")
    check_limits(render_issues(Topics()))
