"""What a reader sees of a passage: the matched sentence ±1, its title and heading, as terms.

The abstention checks (index/answer_type.py) and the choice of passages that name what a
question names (index/naming.py) read passages the way a user reads them: this is that reading,
kept per index for the rows seen last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .corpus import Index, remembered
from .models import Passage
from .query import TermGroup
from .tokens import normalize, spans


@dataclass(frozen=True, eq=False, kw_only=True)  # compared by identity: it holds the index's maps
class ShownText:
    """A shown passage as the check reads it: its words (±1 around the match) and their terms.

    Nothing is tokenized again: the sentences' terms are the term ids the build saved for their
    rows (`Index.row_terms`, what the tokenizer made of the very text stored), the title's and
    heading's are the index's title and heading maps at its source and section. `terms` holds
    all of them instead when the join needs the tokenizer, or the passage is not the index's.
    """

    text: str
    terms: frozenset[str]
    row_terms: frozenset[int] = frozenset()
    vocab: Mapping[str, int] = field(default_factory=dict)
    # (term → ascending ids, the id of this passage's source or section) for its title, heading
    fields: tuple[tuple[Mapping[str, np.ndarray], int], ...] = ()

    def holds(self, term: str) -> bool:
        """Whether the shown text yields this term."""
        return term in self.terms or self.vocab.get(term, -1) in self.row_terms \
            or any(_has_id(ids, at) for ids, at in
                   ((terms_of.get(term), at) for terms_of, at in self.fields))


def _has_id(ids: np.ndarray | None, wanted: int) -> bool:
    """Whether ascending ids hold one (None holds none)."""
    if ids is None:
        return False
    at = int(ids.searchsorted(wanted))
    return at < len(ids) and int(ids[at]) == wanted


def shown_text(index: Index, passage: Passage) -> ShownText:
    """The matched sentence ±1 (same section), with its source's title and section heading.

    Kept per index for the rows seen last: each check of a question reads the same passages.
    """
    row = passage.sentence_ids[passage.match_offset]
    kept: dict[tuple[int, str, str | None], ShownText] = index.derive("shown texts", dict)
    return remembered(kept, (row, passage.citation.title, passage.citation.section),
                      lambda: _shown_text(index, row, passage), _KEPT_SHOWN)


_KEPT_SHOWN = 4096


def _shown_text(index: Index, row: int, passage: Passage) -> ShownText:
    """The matched sentence ±1 at `row`, with the passage's title and section heading."""
    section = index.sent_section[row]
    rows = [r for r in (row - 1, row, row + 1)
            if 0 <= r < index.size and index.sent_section[r] == section]
    sentences = [index.sentence(r) for r in rows]
    parts = [*sentences, passage.citation.title, passage.citation.section or ""]
    source = int(index.sent_source[row])
    if _runs_on(parts) or parts[-2:] != [index.sources[source].title,
                                          index.section_headings[section] or ""]:
        return ShownText(text=" ".join(sentences), terms=joined_terms(parts))
    terms = index.term_ids(rows[0], rows[-1] + 1)
    return ShownText(text=" ".join(sentences), terms=frozenset(),
                     row_terms=frozenset(terms.tolist()),
                     vocab=index.postings.vocab,
                     fields=((index.title_terms, source), (index.heading_terms, int(section))))


# A part ending so that a token could run on across the space after it ("5" + "million").
_RUNS_ON_RE = re.compile(r"[\d,$£€¥]\Z")


def joined_terms(parts: Sequence[str]) -> frozenset[str]:
    """The terms of the parts joined by spaces, from each part's own spans where that is the same.

    A token spans whitespace only after a number or a currency sign ("5 million", "$ 5"), so
    elsewhere a join splits no token: each part's spans are then the tokenizer's own (kept for
    the sentences answering read already: the matched one, a title).
    """
    if _runs_on(parts):
        return frozenset(t for _, _, ts in spans(" ".join(parts)) for t in ts)
    return _part_terms(parts)


def _runs_on(parts: Sequence[str]) -> bool:
    """Whether a token may run on across a space joining the parts (then tokenize the join)."""
    return any(_RUNS_ON_RE.search(normalize(part)) for part in parts[:-1])


def _part_terms(parts: Sequence[str]) -> frozenset[str]:
    """The terms of each part's own spans."""
    return frozenset(t for part in parts for _, _, ts in spans(part) for t in ts)


def holds_any(group: TermGroup, terms: frozenset[str]) -> bool:
    """Whether a passage holds the group's term or one of its alternatives."""
    return any(t in terms for t, _ in group.terms)


def shows(group: TermGroup, shown: ShownText) -> bool:
    """Whether a shown passage holds the group's term or one of its alternatives."""
    return any(shown.holds(t) for t, _ in group.terms)
