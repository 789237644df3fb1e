"""Query → Answer: BM25 over sentences, the structure around them, passages, and abstention."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .corpus import Index
from .evidence import (
    Columns,
    GroupScore,
    columns,
    group_evidence,
    group_idf,
    heading_hits,
    length_norm,
    title_focus,
    title_hits,
    unseen_weight,
    with_title_evidence,
)
from .query import Query, TermGroup
from .scratch import Scratch, distinct, present, scratch
from .settings import SearchSettings
from .shortlist import shortlisted
from .signals import cue_factor, position_factor
from .window import Windows


@dataclass(frozen=True, kw_only=True)
class Scored:
    """Candidate sentences (ascending rows) with their final scores and question coverage."""

    rows: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray
    bold: np.ndarray | None = None  # each window's best sentence (window_weight; None: the row)


@dataclass
class _Sums:
    """Per-candidate running sums while a query's groups are scored."""

    sent: np.ndarray  # BM25 of the sentence itself
    ctx: np.ndarray  # evidence from the structure around it
    covered: np.ndarray  # question weight present anywhere around it (abstention)
    close: np.ndarray  # question weight in the sentence, its paragraph, heading or title (coord)
    matched: np.ndarray  # whether the sentence holds a question term (whatever its idf's sign)
    must: np.ndarray
    party: np.ndarray
    section: np.ndarray  # each candidate's section (looked up once)
    headed: np.ndarray  # whether its section has a heading
    unseen: float = 1.0  # the weight of a question word the sources never use
    parties: int = 0
    total: float = 0.0

    @classmethod
    def start(cls, index: Index, rows: np.ndarray, unseen: float) -> _Sums:
        """Empty sums for these candidate rows."""
        n = len(rows)
        section = index.sent_section[rows]
        return cls(sent=np.zeros(n), ctx=np.zeros(n), covered=np.zeros(n), close=np.zeros(n),
                   matched=np.zeros(n, dtype=bool), must=np.ones(n, dtype=bool),
                   party=np.zeros(n), section=section,
                   headed=index.section_has_heading[section], unseen=unseen)


_NO_CANDIDATES = Scored(rows=np.zeros(0, dtype=np.int32), scores=np.zeros(0), coverage=np.zeros(0))


def score_query(index: Index, query: Query, settings: SearchSettings,
                lo: int = 0, hi: int | None = None, limit: int | None = None,
                at_row: int | None = None, keep: tuple[int, int] | None = None) -> Scored:
    """Score the sentences in rows [lo, hi) that share a term with the query (or its titles).

    Two stages: every candidate's score from its own words and title first (index/shortlist);
    then every signal only on the best few hundred of them (shortlist.SHORTLIST_ROWS;
    all of them without a limit), and every candidate in rows [keep) whatever its first-stage
    score. With `at_row`, only that sentence's scores (a candidate's signals do not depend on the
    other candidates).
    """
    hi = index.size if hi is None else hi
    cols = [columns(index, g, lo, hi) for g in query.groups]
    if not any(cols) and not (settings.title_rows and settings.title_weight):
        return _NO_CANDIDATES
    titled = _titled_sources(index, query, settings)
    if at_row is not None:
        return _second_stage(index, query, settings, cols, titled, (lo, hi), np.array([at_row]))
    rows = _titled_rows(index, titled, lo, hi)
    picked = shortlisted(index, query, settings, cols, rows, scratch(index), limit, keep)
    if not len(picked):
        return _NO_CANDIDATES
    return _second_stage(index, query, settings, cols, titled, (lo, hi), picked)


def coverage_at(index: Index, query: Query, settings: SearchSettings, row: int,
                rows: tuple[int, int]) -> float:
    """How much of the query the sentence at `row` covers (0 when it is no candidate)."""
    scored = score_query(index, query, settings, *rows, at_row=row)  # that row's scores only
    return float(scored.coverage[0]) if len(scored.rows) else 0.0


def _second_stage(index: Index, query: Query, settings: SearchSettings, cols: list[Columns],
                  titled: np.ndarray, span: tuple[int, int], rows: np.ndarray) -> Scored:
    """Every signal on some candidate rows (ascending); a row's scores need only the row."""
    work = scratch(index)
    source = index.sent_source[rows]
    norm, focus = length_norm(index, rows), title_focus(index, settings)
    sums = _Sums.start(index, rows, unseen_weight(index, query))
    units = _Units.around(index, rows)
    near = Windows(index, rows, settings.title_discount) if settings.window_weight else None
    for group, group_cols in zip(query.groups, cols, strict=True):
        if near is not None and near.wants(group, group_cols):  # the passage ±1 (index/window)
            tf, bm25, near_bm25 = near.group_bm25(group, group_cols)
            g = with_title_evidence(index, group, work, source, focus, tf, bm25)
            near.add_group(group, g, near_bm25)
        else:
            g = group_evidence(index, rows, group, group_cols, work, norm, source, focus)
        _add_group(index, settings, group, group_cols, g, sums, units, work)
    scores = (sums.sent + sums.ctx) * cue_factor(index, rows, query.expects, settings)
    scores *= position_factor(index, rows, settings, source)
    if sums.parties and settings.party_focus:  # the share of the named parties it names
        scores *= 1.0 + settings.party_focus * sums.party / sums.parties
    if sums.total and settings.coord_weight:  # more of the question's concepts, close by, first
        scores *= 1.0 - settings.coord_weight + settings.coord_weight * sums.close / sums.total
    coverage = sums.covered / sums.total if sums.total else np.ones(len(rows))
    # A sentence holding a question term is a candidate even where BM25Okapi's idf is zero or
    # negative (a corpus of one or two sentences): whether to answer is coverage's call.
    is_titled = present(titled, work.sources, source) & (rows >= span[0]) & (rows < span[1])
    keep = sums.must & (sums.matched | is_titled)
    if not keep.any():
        return _NO_CANDIDATES
    if near is None:
        return Scored(rows=rows[keep], scores=scores[keep], coverage=coverage[keep])
    bold = near.bold(scores, keep)
    scores = near.scores(scores, sums.sent + sums.ctx, settings.window_weight)
    return Scored(rows=rows[keep], scores=scores[keep], coverage=coverage[keep], bold=bold[keep])


def _titled_sources(index: Index, query: Query, settings: SearchSettings) -> np.ndarray:
    """The sources whose title names a required question term (title_rows), each once.

    A summary's later sentences say "it" or "the mountain" for the title's subject: they answer
    questions about it without naming it, so the title names them (scored as context only).
    """
    if not settings.title_rows or not settings.title_weight:
        return np.zeros(0, dtype=np.int64)
    hits = [title_hits(index, g) for g in query.groups if g.required]
    hits = [h for h in hits if len(h)]
    return distinct(np.concatenate(hits)) if hits else np.zeros(0, dtype=np.int64)


def _titled_rows(index: Index, titled: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The rows [lo, hi) of the titled sources."""
    return index.source_rows(titled, lo, hi)[0]


@dataclass(frozen=True)
class _Units:
    """The first and past-the-last rows of some rows' paragraphs and sections.

    [paragraph starts, section starts] and the same for the ends: one binary search of a term's
    rows into the starts finds each unit's first posting at or after its start; the unit holds
    the term when that posting comes before its end.
    """

    starts: np.ndarray
    ends: np.ndarray
    count: int

    @classmethod
    def around(cls, index: Index, rows: np.ndarray) -> _Units:
        """The paragraphs and sections of these rows (each a run of rows)."""
        para, section = index.sent_para[rows], index.sent_section[rows]
        starts = np.concatenate([index.para_first[para], index.section_first[section]])
        ends = np.concatenate([index.para_first[para + 1], index.section_first[section + 1]])
        # In the postings' own type: a search with wider keys would copy the postings first.
        dtype = index.postings.ids.dtype
        return cls(starts.astype(dtype), ends.astype(dtype), len(rows))

    def holding(self, group_cols: Columns) -> tuple[np.ndarray, np.ndarray]:
        """For each row, whether its paragraph and its section hold one of a group's terms."""
        n = self.count
        held = np.zeros(2 * n, dtype=bool)
        for term_rows, _, _ in group_cols:
            at = term_rows.searchsorted(self.starts)
            held |= (at < len(term_rows)) & (term_rows[np.minimum(at, len(term_rows) - 1)]
                                             < self.ends)
        return held[:n], held[n:]


def _add_group(index: Index, settings: SearchSettings, group: TermGroup, group_cols: Columns,
               first: GroupScore, sums: _Sums, units: _Units, work: Scratch) -> None:
    """Add one term group's sentence score, context evidence and coverage to the sums."""
    tf, g_score = first.tf, first.bm25
    hit = tf > 0
    sums.matched |= hit
    in_para, in_section = units.holding(group_cols)
    # None where no heading (title) holds the group: its terms below would all be zero.
    heading_ids = heading_hits(index, group)
    in_heading = (present(heading_ids, work.sections, sums.section) if len(heading_ids)
                  else None)
    in_title = first.in_title
    # A term the source's title holds is what the whole source is about: saying it again in a
    # sentence tells less about which sentence answers (the title evidence below still counts).
    # A party is exempt: "what does Russia want" asks for Russia's own words (party_focus).
    # The share is moved, not dropped: every sentence of the source gets it as the term's weight
    # at one occurrence (its idf), so a source never loses to other sources for naming its own
    # subject; within the source, the sentences that repeat the title term lead less.
    discount = 0.0 if group.party else settings.title_discount
    idf_of_group = group_idf(index, group)
    idf = group.weight * idf_of_group
    section_only = settings.section_weight * (in_section & ~in_para)
    if first.title_share is None:
        sums.sent += group.weight * g_score
        sums.ctx += idf * section_only
    else:
        share = first.title_share
        sums.sent += group.weight * g_score * (1.0 - discount * share)
        sums.ctx += idf * (discount * share + section_only + settings.title_weight * share)
    if group.must:
        sums.must &= hit | in_para
    if group.party:
        sums.party += hit
        sums.parties += 1
    if group.required:
        weight = idf_of_group if idf_of_group > 0 else sums.unseen
        sums.total += weight
        sums.covered += weight * _either(hit | in_section, in_heading, in_title)
        # A headed section declares one topic, so a term anywhere in it is close; a headless
        # body (a plain text, a one-paragraph summary) is not one topic unit.
        headed = in_section & sums.headed
        sums.close += weight * _either(hit | in_para | headed, in_heading, in_title)


def _either(mask: np.ndarray, *more: np.ndarray | None) -> np.ndarray:
    """Where `mask` or one of the other masks holds (None: holds nowhere)."""
    for other in more:
        if other is not None:
            mask = mask | other
    return mask


def rank(scored: Scored, limit: int | None = None) -> np.ndarray:
    """Candidate positions, best first, equal scores in sentence order; the best `limit` only."""
    scores = scored.scores
    if limit is not None and len(scores) > 4 * limit:
        # Keep all that tie with the limit-th score, so the tie-break sees every one of them.
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = (scores >= kth).nonzero()[0]
        return keep[np.lexsort((scored.rows[keep], -scores[keep]))][:limit]
    return np.lexsort((scored.rows, -scores))[:limit]

