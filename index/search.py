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
                position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A group's (discounted) term count per row, and its BM25 as one term of that count.

    For a one-term group this is exactly rank-bm25's weight; a party's other names add to the
    count the way a search engine's synonym query does, with the name's own idf.
    """
    tf = np.zeros(len(rows))
    for ids, counts, factor in group_cols:
        tf[position[ids]] += factor * counts  # a term's rows are distinct: no lost updates
    p, params = index.postings, index.params
    # avgdl is 0 only when no sentence has an indexable word (candidates from titles alone).
    norm = params.k1 * (1 - params.b + params.b * p.doc_len[rows] / (p.avgdl or 1.0))
    return tf, _group_idf(index, group) * (tf * (params.k1 + 1) / (tf + norm))


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
    first = [_first_stage(index, settings, rows, g, c, work)
             for g, c in zip(query.groups, cols, strict=True)]
    is_titled = np.zeros(len(rows), dtype=bool)
    is_titled[work.position[titled]] = True
    evaluate = partial(_second_stage, index, query, settings, rows, cols, first, is_titled)
    if limit is None or len(rows) <= max(_FULL_BELOW, _FIRST_TAKE) * limit:
        return evaluate(np.arange(len(rows)))
    bound = _upper_bound(index, query, settings, rows, first)
    best = np.argpartition(-bound, _FIRST_TAKE * limit)[:_FIRST_TAKE * limit]
    scored = evaluate(np.sort(best))
    if len(scored.scores) < limit:  # too few kept to bound the rest: score them all
        return evaluate(np.arange(len(rows)))
    floor = np.partition(scored.scores, len(scored.scores) - limit)[len(scored.scores) - limit]
    reach = bound >= floor  # a candidate whose bound is below the floor cannot reach the top
    reach[best] = False
    more = np.flatnonzero(reach)
    return _merged(scored, evaluate(more)) if len(more) else scored


def _merged(a: Scored, b: Scored) -> Scored:
    """Two scorings of disjoint candidates as one (rows ascending)."""
    rows = np.concatenate([a.rows, b.rows])
    order = np.argsort(rows, kind="stable")
    return Scored(rows[order], np.concatenate([a.scores, b.scores])[order],
                  np.concatenate([a.coverage, b.coverage])[order])


# Below this many candidates per wanted row, scoring all beats bounding; the first stage takes
# this many per wanted row by bound (the second usually confirms them at once).
_FULL_BELOW = 16
_FIRST_TAKE = 4
_MARK_ABOVE = 8  # past 1/8 of the candidates, mark a group's paragraphs rather than search


def _first_stage(index: Index, settings: SearchSettings, rows: np.ndarray, group: TermGroup,
                 group_cols: Columns, work: Scratch) -> _GroupScore:
    """A group's term count, BM25 and title evidence for every candidate."""
    tf, bm25 = _group_bm25(index, group, group_cols, rows, work.position)
    in_title = present(_field_hits(index.title_terms, group), work.sources,
                       index.sent_source[rows])
    return _GroupScore(tf, bm25, in_title)


def _upper_bound(index: Index, query: Query, settings: SearchSettings, rows: np.ndarray,
                 first: list[_GroupScore]) -> np.ndarray:
    """Each candidate's final score at most.

    Its sentence and title evidence, answer-kind, position and party factors exactly; section
    evidence as if every term were in its section, and coord at its best (one, or for a score
    below zero its least).
    """
    base = np.zeros(len(rows))
    section = 0.0
    named, parties = np.zeros(len(rows)), 0
    for group, g in zip(query.groups, first, strict=True):
        discount = 0.0 if group.party else settings.title_discount
        idf = group.weight * _group_idf(index, group)
        base += group.weight * g.bm25 * (1.0 - discount * g.in_title)
        base += idf * (discount + settings.title_weight) * g.in_title
        section += max(idf, 0.0) * settings.section_weight
        if group.party:
            named += g.tf > 0
            parties += 1
    base += section
    base *= cue_factor(index, rows, query.expects, settings)
    base *= position_factor(index, rows, settings)
    if parties and settings.party_focus:
        base *= 1.0 + settings.party_focus * named / parties
    return np.where(base > 0, base, base * (1.0 - settings.coord_weight))


def _second_stage(index: Index, query: Query, settings: SearchSettings, rows: np.ndarray,
                  cols: list[Columns], first: list[_GroupScore], is_titled: np.ndarray,
                  take: np.ndarray) -> Scored:
    """Every signal on the candidates at positions `take` (ascending)."""
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
               group_cols: Columns, first: _GroupScore, take: np.ndarray, sums: _Sums,
               work: Scratch) -> None:
    """Add one term group's sentence score, context evidence and coverage to the sums."""
    tf, g_score, in_title = first.tf[take], first.bm25[take], first.in_title[take]
    hit = tf > 0
    sums.matched |= hit
    ids = [c[0] for c in group_cols]
    if len(take) * _MARK_ABOVE > len(first.tf):  # most candidates: marking beats searching
        posting_rows = np.concatenate(ids) if ids else rows[:0]
        in_para = present(index.sent_para[posting_rows], work.paragraphs, sums.para)
        in_section = present(index.sent_section[posting_rows], work.sections, sums.section)
    else:
        in_para = _near(ids, index.sent_para, sums.para)
        in_section = _near(ids, index.sent_section, sums.section)
    in_heading = present(_field_hits(index.heading_terms, group), work.sections, sums.section)
    # A term the source's title holds is what the whole source is about: saying it again in a
    # sentence tells less about which sentence answers (the title evidence below still counts).
    # A party is exempt: "what does Russia want" asks for Russia's own words (party_focus).
    # The share is moved, not dropped: every sentence of the source gets it as the term's weight
    # at one occurrence (its idf), so a source never loses to other sources for naming its own
    # subject; within the source, the sentences that repeat the title term lead less.
    discount = 0.0 if group.party else settings.title_discount
    sums.sent += group.weight * g_score * (1.0 - discount * in_title)
    group_idf = _group_idf(index, group)
    idf = group.weight * group_idf
    sums.ctx += idf * (discount * in_title + settings.section_weight * (in_section & ~in_para)
                       + settings.title_weight * in_title)
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
