"""Query → Answer: BM25 over sentences, the structure around them, passages, and abstention."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np

from .corpus import Index
from .query import Query, TermGroup
from .scratch import Scratch, present, scratch, union
from .settings import SearchSettings
from .signals import cue_factor, position_factor

Columns = list[tuple[np.ndarray, np.ndarray, float]]  # a group's terms: rows, counts, factor


@dataclass(frozen=True)
class Scored:
    """Candidate sentences (ascending rows) with their final scores and question coverage."""

    rows: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray


def _columns(index: Index, group: TermGroup, lo: int, hi: int) -> Columns:
    """The rows and term counts of a group's terms, limited to rows [lo, hi)."""
    out = []
    p = index.postings
    for term, factor in group.terms:
        where = p.span(term)
        ids, tf = p.ids[where], p.tf[where]
        if len(ids) and (lo > 0 or hi < index.size):
            a, b = np.searchsorted(ids, lo), np.searchsorted(ids, hi)
            ids, tf = ids[a:b], tf[a:b]
        if len(ids):
            out.append((ids, tf, factor))
    return out


def _group_bm25(index: Index, group: TermGroup, group_cols: Columns, rows: np.ndarray,
                position: np.ndarray, norm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A group's (discounted) term count per row, and its BM25 as one term of that count.

    For a one-term group this is exactly rank-bm25's weight; a party's other names add to the
    count the way a search engine's synonym query does, with the name's own idf. Only the rows
    holding a term are computed (the rest are 0): a question's rare words cost what they match.
    """
    tf, bm25 = np.zeros(len(rows)), np.zeros(len(rows))
    for ids, counts, factor in group_cols:
        tf[position[ids]] += factor * counts  # a term's rows are distinct: no lost updates
    held = position[np.concatenate([c[0] for c in group_cols])] if group_cols else rows[:0]
    if len(group_cols) > 1:
        held = np.unique(held)
    k1 = index.params.k1
    found = tf[held]
    bm25[held] = _group_idf(index, group) * (found * (k1 + 1) / (found + norm[held]))
    return tf, bm25


def _length_norm(index: Index, rows: np.ndarray) -> np.ndarray:
    """BM25's length normalisation of each candidate (k1 · (1 − b + b · len / avgdl))."""
    p, params = index.postings, index.params
    # avgdl is 0 only when no sentence has an indexable word (candidates from titles alone).
    return params.k1 * (1 - params.b + params.b * p.doc_len[rows] / (p.avgdl or 1.0))


def _group_idf(index: Index, group: TermGroup) -> float:
    """How much a group weighs: its best term's idf (an unseen term weighs like the rarest)."""
    p = index.postings
    known = [p.idf[p.vocab[t]] * f for t, f in group.terms if t in p.vocab]
    return max(known) if known else 0.0


def _unseen_weight(index: Index, query: Query) -> float:
    """What a question word the sources never use weighs: the mean of the question's known words.

    Neither the rarest (a common word like "control" would then veto a good answer) nor nothing
    (a question about something else entirely must not be answered from one shared word).
    """
    known = [w for g in query.groups if g.required and (w := _group_idf(index, g)) > 0]
    return sum(known) / len(known) if known else 1.0


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
    para: np.ndarray  # each candidate's paragraph, section and source (looked up once)
    section: np.ndarray
    source: np.ndarray
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
                   source=index.sent_source[rows],
                   headed=index.section_has_heading[section], unseen=unseen)


_NO_CANDIDATES = Scored(np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))


@dataclass(frozen=True)
class _GroupScore:
    """One group's sentence evidence for every candidate (the first stage)."""

    tf: np.ndarray  # its (discounted) term count
    bm25: np.ndarray  # its BM25, exactly rank-bm25's for a one-term group
    in_title: np.ndarray  # whether the candidate's source title holds it
    title_share: np.ndarray  # … weighted by how much of that title it is (ranking only)


def score_query(index: Index, query: Query, settings: SearchSettings,
                lo: int = 0, hi: int | None = None, limit: int | None = None) -> Scored:
    """Score the sentences in rows [lo, hi) that share a term with the query (or its titles).

    Two stages: every candidate's BM25 and title evidence first, which bound its final score;
    then every other signal only on the candidates whose bound can reach the best `limit`
    (all of them without a limit). The best `limit` are the same either way.
    """
    hi = index.size if hi is None else hi
    cols = [_columns(index, g, lo, hi) for g in query.groups]
    all_ids = [c[0] for group_cols in cols for c in group_cols]
    if not all_ids and not (settings.title_rows and settings.title_weight):
        return _NO_CANDIDATES
    titled = _titled_rows(index, query, settings, lo, hi)
    work = scratch(index)
    rows = union([*all_ids, titled], work.rows, index.size)
    if not len(rows):
        return _NO_CANDIDATES
    work.position[rows] = np.arange(len(rows))  # row → candidate slot, for this query
    norm = _length_norm(index, rows)
    first = [_first_stage(index, settings, rows, g, c, work, norm)
             for g, c in zip(query.groups, cols, strict=True)]
    is_titled = np.zeros(len(rows), dtype=bool)
    is_titled[work.position[titled]] = True
    evaluate = partial(_second_stage, index, query, settings, rows, cols, first, is_titled)
    if limit is None or len(rows) <= _FULL_BELOW * limit:
        return evaluate(_ALL)
    upper, lower = _bounds(index, query, settings, rows, first, is_titled)
    if np.count_nonzero(lower > -np.inf) < limit:
        return evaluate(_ALL)
    # The limit-th best final score is at least the limit-th best lower bound: a candidate whose
    # upper bound is below that cannot be among the best `limit`.
    floor = np.partition(lower, len(lower) - limit)[len(lower) - limit]
    reach = np.flatnonzero(upper >= floor)
    if len(reach) > _PRUNE_SHARE * len(rows):  # pruning would save little: one pass over all
        return evaluate(_ALL)
    return evaluate(reach)


def _title_focus(index: Index, settings: SearchSettings) -> np.ndarray:
    """Per source: how much a title term says what the source is about.

    All of it in a title of `title_focus` terms or fewer (an encyclopedia entry's "Mount
    Kilimanjaro"); a share in a longer one (one word of a ten-word news headline is not what the
    report is about, so it neither lifts every sentence nor discounts the ones that say it).
    """
    if not settings.title_focus:
        return np.ones(len(index.sources))
    return np.minimum(1.0, settings.title_focus / np.maximum(index.title_term_counts, 1.0))


_ALL = slice(None)  # every candidate (a view, not a copy)
# Below this many candidates per wanted row scoring all beats bounding; above this share of the
# candidates left after bounding, one pass over all beats picking them out.
_FULL_BELOW = 16
_PRUNE_SHARE = 0.5
_MARK_ABOVE = 8  # past 1/8 of the candidates, mark a group's paragraphs rather than search


def _first_stage(index: Index, settings: SearchSettings, rows: np.ndarray, group: TermGroup,
                 group_cols: Columns, work: Scratch, norm: np.ndarray) -> _GroupScore:
    """A group's term count, BM25 and title evidence for every candidate."""
    tf, bm25 = _group_bm25(index, group, group_cols, rows, work.position, norm)
    source = index.sent_source[rows]
    in_title = _present(_field_hits(index.title_terms, group), work.sources, source)
    return _GroupScore(tf, bm25, in_title, in_title * _title_focus(index, settings)[source])


def _bounds(index: Index, query: Query, settings: SearchSettings, rows: np.ndarray,
            first: list[_GroupScore], is_titled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's final score at most and at least (-inf: it may not be kept at all).

    Sentence and title evidence, answer-kind, position and party factors are exact; section
    evidence lies between none and every term in the sentence's section, and coord between what
    the sentence and its title hold and one (or its least, for a score below zero).
    """
    base = np.zeros(len(rows))
    section_most = section_least = 0.0
    named, parties = np.zeros(len(rows)), 0
    matched = is_titled.copy()
    sure = np.ones(len(rows), dtype=bool)  # every "must" group matched in the sentence itself
    close, total, unseen = np.zeros(len(rows)), 0.0, _unseen_weight(index, query)
    for group, g in zip(query.groups, first, strict=True):
        if group.required:  # a term in the sentence or its title is close: coord's least
            weight = w if (w := _group_idf(index, group)) > 0 else unseen
            total += weight
            close += weight * ((g.tf > 0) | g.in_title)
        discount = 0.0 if group.party else settings.title_discount
        idf = group.weight * _group_idf(index, group)
        base += group.weight * g.bm25 * (1.0 - discount * g.title_share)
        base += idf * (discount + settings.title_weight) * g.title_share
        section_most += max(idf, 0.0) * settings.section_weight
        section_least += min(idf, 0.0) * settings.section_weight
        matched |= g.tf > 0
        if group.must:
            sure &= g.tf > 0
        if group.party:
            named += g.tf > 0
            parties += 1
    factors = cue_factor(index, rows, query.expects, settings) * position_factor(
        index, rows, settings)
    if parties and settings.party_focus:
        factors = factors * (1.0 + settings.party_focus * named / parties)
    least_coord = 1.0 - settings.coord_weight
    if total and settings.coord_weight:
        least_coord = least_coord + settings.coord_weight * close / total
    most, least = base + section_most, base + section_least
    upper = factors * np.where(most > 0, most, most * (1.0 - settings.coord_weight))
    lower = factors * np.where(least > 0, least * least_coord, least)
    return upper, np.where(matched & sure, lower, -np.inf)


def _second_stage(index: Index, query: Query, settings: SearchSettings, rows: np.ndarray,
                  cols: list[Columns], first: list[_GroupScore], is_titled: np.ndarray,
                  take: np.ndarray | slice) -> Scored:
    """Every signal on the candidates at positions `take` (ascending, or _ALL)."""
    picked = rows[take]
    sums = _Sums.start(index, picked, _unseen_weight(index, query))
    work = scratch(index)
    for group, group_cols, g in zip(query.groups, cols, first, strict=True):
        _add_group(index, settings, picked, group, group_cols, g, take, sums, work)
    scores = (sums.sent + sums.ctx) * cue_factor(index, picked, query.expects, settings)
    scores *= position_factor(index, picked, settings)
    if sums.parties and settings.party_focus:  # the share of the named parties it names
        scores *= 1.0 + settings.party_focus * sums.party / sums.parties
    if sums.total and settings.coord_weight:  # more of the question's concepts, close by, first
        scores *= 1.0 - settings.coord_weight + settings.coord_weight * sums.close / sums.total
    coverage = sums.covered / sums.total if sums.total else np.ones(len(picked))
    # A sentence holding a question term is a candidate even where BM25Okapi's idf is zero or
    # negative (a corpus of one or two sentences): whether to answer is coverage's call.
    keep = sums.must & (sums.matched | is_titled[take])
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
    hits = [_field_hits(index.title_terms, g) for g in query.groups if g.required]
    hits = [h for h in hits if len(h)]
    if not hits:
        return np.zeros(0, dtype=np.int64)
    spans = [np.arange(max(rec.first, lo), min(rec.first + rec.count, hi))
             for rec in (index.sources[int(i)] for i in np.unique(np.concatenate(hits)))]
    spans = [r for r in spans if len(r)]
    return np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)


def _add_group(index: Index, settings: SearchSettings, rows: np.ndarray, group: TermGroup,
               group_cols: Columns, first: _GroupScore, take: np.ndarray | slice, sums: _Sums,
               work: Scratch) -> None:
    """Add one term group's sentence score, context evidence and coverage to the sums."""
    tf, g_score, in_title = first.tf[take], first.bm25[take], first.in_title[take]
    share = first.title_share[take]
    hit = tf > 0
    sums.matched |= hit
    ids = [c[0] for c in group_cols]
    if len(rows) * _MARK_ABOVE > len(first.tf):  # most candidates: marking beats searching
        posting_rows = np.concatenate(ids) if ids else rows[:0]
        in_para = present(index.sent_para[posting_rows], work.paragraphs, sums.para)
        in_section = present(index.sent_section[posting_rows], work.sections, sums.section)
    else:
        in_para = _near(ids, index.sent_para, sums.para)
        in_section = _near(ids, index.sent_section, sums.section)
    in_heading = _present(_field_hits(index.heading_terms, group), work.sections, sums.section)
    # A term the source's title holds is what the whole source is about: saying it again in a
    # sentence tells less about which sentence answers (the title evidence below still counts).
    # A party is exempt: "what does Russia want" asks for Russia's own words (party_focus).
    # The share is moved, not dropped: every sentence of the source gets it as the term's weight
    # at one occurrence (its idf), so a source never loses to other sources for naming its own
    # subject; within the source, the sentences that repeat the title term lead less.
    discount = 0.0 if group.party else settings.title_discount
    sums.sent += group.weight * g_score * (1.0 - discount * share)
    group_idf = _group_idf(index, group)
    idf = group.weight * group_idf
    sums.ctx += idf * (discount * share + settings.section_weight * (in_section & ~in_para)
                       + settings.title_weight * share)
    if group.must:
        sums.must &= hit | in_para
    if group.party:
        sums.party += hit
        sums.parties += 1
    if group.required:
        weight = group_idf if group_idf > 0 else sums.unseen
        sums.total += weight
        sums.covered += weight * (hit | in_section | in_heading | in_title)
        # A headed section declares one topic, so a term anywhere in it is close; a headless
        # body (a plain text, a one-paragraph summary) is not one topic unit.
        headed = in_section & sums.headed
        sums.close += weight * (hit | in_para | headed | in_heading | in_title)


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


def _present(ids: np.ndarray, marks: np.ndarray, lookup: np.ndarray) -> np.ndarray:
    """`present`, without touching the candidates when there is nothing to find."""
    return present(ids, marks, lookup) if len(ids) else np.zeros(len(lookup), dtype=bool)


def _field_hits(field: Mapping[str, np.ndarray], group: TermGroup) -> np.ndarray:
    """The ids (sections or sources) whose heading or title holds one of a group's terms."""
    found = [field[t] for t, _ in group.terms if t in field]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int32)


def rank(scored: Scored, limit: int | None = None) -> np.ndarray:
    """Candidate positions, best first, equal scores in sentence order; the best `limit` only."""
    scores = scored.scores
    if limit is not None and len(scores) > 4 * limit:
        # Keep all that tie with the limit-th score, so the tie-break sees every one of them.
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = np.flatnonzero(scores >= kth)
        return keep[np.lexsort((scored.rows[keep], -scores[keep]))][:limit]
    return np.lexsort((scored.rows, -scores))[:limit]
