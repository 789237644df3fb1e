"""Property: any answer renders within Discord's limits, with every mention neutralised."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import render_answer
from index.models import Answer, Citation, Passage

from .test_render import check_limits

# Text as hostile as a source or a question can be: mentions, markdown, long runs, any Unicode.
_PIECES = st.sampled_from(["@everyone", "@here", "<@123456789012345678>", "<#1>", "<@&2>",
                           "<:e:3>", "<t:0>", "**", "`", "\\", "|| ", "[x](https://e.org)",
                           " ", "\n", "word ", "\u200b", "é", "🙂"])
_TEXT = st.one_of(st.text(max_size=300),
                  st.lists(_PIECES, max_size=60).map("".join),
                  st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=5),
                            st.integers(1, 1200)))
_URL = st.one_of(st.none(), st.just("https://example.org/a"),
                 _TEXT.map(lambda t: "https://e.org/" + t))


@st.composite
def _passages(draw: st.DrawFn) -> list[Passage]:
    count = draw(st.integers(0, 26))  # one past Discord's 25 fields
    out = []
    for rank in range(1, count + 1):
        sentences = tuple(draw(st.lists(_TEXT, min_size=1, max_size=4)))
        cite = Citation(source_id=draw(_TEXT), title=draw(_TEXT), section=draw(st.one_of(st.none(),
                                                                                         _TEXT)),
                        paragraph=draw(st.integers(1, 10**6)), url=draw(_URL))
        out.append(Passage(rank=rank, score=draw(st.floats(allow_nan=False, allow_infinity=False)),
                           sentences=sentences,
                           match_offset=draw(st.integers(0, len(sentences) - 1)), citation=cite,
                           sentence_ids=tuple(range(len(sentences))),
                           matched_terms=tuple(draw(st.lists(_TEXT, max_size=5)))))
    return out


_MENTION = re.compile(r"@(everyone|here)|<[@#:]|<t:")
_LINK_TARGET = re.compile(r"\]\(https?://[^\s()]*\)")  # a URL never mentions (e.g. /@user)


def _texts(rendered) -> list[str]:
    texts = [rendered.content]
    for embed in rendered.embeds:
        data = embed.to_dict()
        texts += [data.get("title", ""), data.get("description", ""),
                  data.get("footer", {}).get("text", "")]
        texts += [v for f in data.get("fields", []) for v in (f["name"], f["value"])]
    return texts


@settings(max_examples=40, deadline=None)
@given(question=_TEXT, passages=_passages(), answered=st.booleans(),
       unknown=st.lists(_TEXT, max_size=8), skip=st.integers(0, 31))
def test_any_answer_renders_within_limits_without_mentions(
        question: str, passages: list[Passage], answered: bool, unknown: list[str],
        skip: int) -> None:
    answer = Answer(question=question, answered=answered, passages=tuple(passages),
                    unknown_terms=tuple(unknown))
    rendered = render_answer(answer, skip=skip)
    check_limits(rendered)
    for text in _texts(rendered):
        assert not _MENTION.search(_LINK_TARGET.sub("](…)", text)), text
