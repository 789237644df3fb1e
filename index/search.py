"""Query → Answer: BM25 over sentences, the structure around them, passages, and abstention."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from .bounds import ALL_CANDIDATES, floor, upper_bounds
from .corpus import Index
from .evidence import (
    Columns,
    GroupScore,
    columns,
    field_hits,
    first_stage,
    group_idf,
    length_norm,
    title_focus,
    unseen_weight,
)
from .query import Query, TermGroup
from .scratch import Scratch, present, scratch, union
from .settings import SearchSettings
from .signals import cue_factor, position_factor


@dataclass(frozen=True)
class Scored:
    """Candidate sentences (ascending rows) with their final scores and question coverage."""

    rows: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray


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
    para: np.ndarray  # each candidate's paragraph and section (looked up once)
    section: np.ndarray
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
                   party=np.zeros(n), para=index.sent_para[rows], section=section,
                   headed=index.section_has_heading[section], unseen=unseen)


_NO_CANDIDATES = Scored(np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))


def score_query(index: Index, query: Query, settings: SearchSettings,
                lo: int = 0, hi: int | None = None, limit: int | None = None,
                at_row: int | None = None) -> Scored:
    """Score the sentences in rows [lo, hi) that share a term with the query (or its titles).

    Two stages: every candidate's BM25 and title evidence first, which bound its final score;
    then every other signal only on the candidates whose bound can reach the best `limit`
    (all of them without a limit). The best `limit` are the same either way. With `at_row`,
    only that sentence's scores (a candidate's signals do not depend on the other candidates).
    """
    hi = index.size if hi is None else hi
    cols = [columns(index, g, lo, hi) for g in query.groups]
    all_ids = [c[0] for group_cols in cols for c in group_cols]
    if not all_ids and not (settings.title_rows and settings.title_weight):
        return _NO_CANDIDATES
    titled = _titled_rows(index, query, settings, lo, hi)
    work = scratch(index)
    rows = union([*all_ids, titled], work.rows, index.size)
    if not len(rows):
        return _NO_CANDIDATES
    work.position[rows] = np.arange(len(rows))  # row → candidate slot, for this query
    norm = length_norm(index, rows)
    source = index.sent_source[rows]
    focus = title_focus(index, settings)
    first = [first_stage(index, rows, g, c, work, norm, source, focus)
             for g, c in zip(query.groups, cols, strict=True)]
    is_titled = np.zeros(len(rows), dtype=bool)
    is_titled[work.position[titled]] = True
    cue = cue_factor(index, rows, query.expects, settings)
    position = position_factor(index, rows, settings, source)
    evaluate = partial(_second_stage, index, query, settings, _Candidates(
        rows, cue, position, is_titled), cols, first)
    if at_row is not None:
        at = int(np.searchsorted(rows, at_row))
        found = at < len(rows) and rows[at] == at_row
        return evaluate(np.array([at])) if found else _NO_CANDIDATES
    if limit is None or len(rows) <= _FULL_BELOW * limit:
        return evaluate(ALL_CANDIDATES)
    factors = cue * position
    upper = upper_bounds(index, query, settings, first, factors)
    # The limit-th best final score is at least the limit-th best lower bound of any candidates:
    # of those most likely to score high (a few times `limit`, so the bound stays cheap). A
    # candidate whose upper bound is below that cannot be among the best `limit`.
    sample = min(len(rows), _SAMPLE * limit)
    likely = np.argpartition(upper, len(rows) - sample)[len(rows) - sample:]
    least = floor(index, query, settings, first, is_titled, factors, likely, limit)
    if least == -np.inf:
        return evaluate(ALL_CANDIDATES)
    reach = np.flatnonzero(upper >= least)
    if len(reach) > _PRUNE_SHARE * len(rows):  # pruning would save little: one pass over all
        return evaluate(ALL_CANDIDATES)
    return evaluate(reach)


# Below this many candidates per wanted row scoring all beats bounding; above this share of the
# candidates left after bounding, one pass over all beats picking them out.
_FULL_BELOW = 16
_PRUNE_SHARE = 0.5
_SAMPLE = 4  # lower bounds for this many times `limit` of the likeliest candidates
_MARK_ABOVE = 8  # past 1/8 of the candidates, mark a group's paragraphs rather than search


@dataclass(frozen=True)
class _Candidates:
    """A query's candidate rows and what every stage reads of them (looked up once)."""

    rows: np.ndarray
    cue: np.ndarray | float  # signals.cue_factor
    position: np.ndarray | float  # signals.position_factor
    is_titled: np.ndarray  # a row of a source whose title names a question term


def _pick(values: np.ndarray | float, take: np.ndarray | slice) -> np.ndarray | float:
    """Some candidates' values of a per-candidate array (a constant factor stays one)."""
    return values[take] if isinstance(values, np.ndarray) else values


def _second_stage(index: Index, query: Query, settings: SearchSettings, cand: _Candidates,
                  cols: list[Columns], first: list[GroupScore],
                  take: np.ndarray | slice) -> Scored:
    """Every signal on the candidates at positions `take` (ascending, or ALL_CANDIDATES)."""
    picked = cand.rows[take]
    sums = _Sums.start(index, picked, unseen_weight(index, query))
    work = scratch(index)
    for group, group_cols, g in zip(query.groups, cols, first, strict=True):
        _add_group(index, settings, picked, group, group_cols, g, take, sums, work)
    scores = (sums.sent + sums.ctx) * _pick(cand.cue, take)
    scores *= _pick(cand.position, take)
    if sums.parties and settings.party_focus:  # the share of the named parties it names
        scores *= 1.0 + settings.party_focus * sums.party / sums.parties
    if sums.total and settings.coord_weight:  # more of the question's concepts, close by, first
        scores *= 1.0 - settings.coord_weight + settings.coord_weight * sums.close / sums.total
    coverage = sums.covered / sums.total if sums.total else np.ones(len(picked))
    # A sentence holding a question term is a candidate even where BM25Okapi's idf is zero or
    # negative (a corpus of one or two sentences): whether to answer is coverage's call.
    keep = sums.must & (sums.matched | cand.is_titled[take])
    if not keep.any():
        return _NO_CANDIDATES
    return Scored(picked[keep], scores[keep], coverage[keep])


def _titled_rows(index: Index, query: Query, settings: SearchSettings, lo: int,
                 hi: int) -> np.ndarray:
    """Rows [lo, hi) of sources whose title names a question term (title_rows), sorted.

    A summary's later sentences say "it" or "the mountain" for the title's subject: they answer
    questions about it without naming it, so the title names them (scored as context only).
    """
    if not settings.title_rows or not settings.title_weight:
        return np.zeros(0, dtype=np.int64)
    hits = [field_hits(index.title_terms, g) for g in query.groups if g.required]
    hits = [h for h in hits if len(h)]
    if not hits:
        return np.zeros(0, dtype=np.int64)
    spans = [np.arange(max(rec.first, lo), min(rec.first + rec.count, hi))
             for rec in (index.sources[int(i)] for i in np.unique(np.concatenate(hits)))]
    spans = [r for r in spans if len(r)]
    return np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)


def _add_group(index: Index, settings: SearchSettings, rows: np.ndarray, group: TermGroup,
               group_cols: Columns, first: GroupScore, take: np.ndarray | slice, sums: _Sums,
               work: Scratch) -> None:
    """Add one term group's sentence score, context evidence and coverage to the sums."""
    tf, g_score = first.tf[take], first.bm25[take]
    hit = tf > 0
    sums.matched |= hit
    in_para, in_section = _near_rows(index, rows, group_cols, len(first.tf), sums, work)
    # None where no heading (title) holds the group: its terms below would all be zero.
    heading_hits = field_hits(index.heading_terms, group)
    in_heading = present(heading_hits, work.sections, sums.section) if len(heading_hits) else None
    in_title = None if first.in_title is None else first.in_title[take]
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
        share = first.title_share[take]
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


def _near_rows(index: Index, rows: np.ndarray, group_cols: Columns, candidates: int,
               sums: _Sums, work: Scratch) -> tuple[np.ndarray, np.ndarray]:
    """For each of `rows`, whether its paragraph and its section hold one of a group's terms."""
    ids = [c[0] for c in group_cols]
    if len(rows) * _MARK_ABOVE > candidates:  # most candidates: marking beats searching
        posting_rows = np.concatenate(ids) if ids else rows[:0]
        return (present(index.sent_para[posting_rows], work.paragraphs, sums.para),
                present(index.sent_section[posting_rows], work.sections, sums.section))
    return _near(ids, index.sent_para, sums.para), _near(ids, index.sent_section, sums.section)


def _near(ids: list[np.ndarray], unit_of_row: np.ndarray, units: np.ndarray) -> np.ndarray:
    """For each unit (a paragraph or section: a run of rows), whether one of the rows holds a term.

    `unit_of_row` never decreases, so a unit is the rows between two binary searches, and a term's
    rows (ascending) fall inside it or not by two more.
    """
    starts = np.searchsorted(unit_of_row, units, "left")
    ends = np.searchsorted(unit_of_row, units, "right")
    found = np.zeros(len(units), dtype=bool)
    for term_rows in ids:
        found |= np.searchsorted(term_rows, starts) < np.searchsorted(term_rows, ends)
    return found


def rank(scored: Scored, limit: int | None = None) -> np.ndarray:
    """Candidate positions, best first, equal scores in sentence order; the best `limit` only."""
    scores = scored.scores
    if limit is not None and len(scores) > 4 * limit:
        # Keep all that tie with the limit-th score, so the tie-break sees every one of them.
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = np.flatnonzero(scores >= kth)
        return keep[np.lexsort((scored.rows[keep], -scores[keep]))][:limit]
    return np.lexsort((scored.rows, -scores))[:limit]
