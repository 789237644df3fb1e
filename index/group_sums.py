"""Every question group's evidence for the second stage's candidates, added up group by group.

The groups are worked out together, as [groups, candidates] arrays (index/around.py): with a
few hundred candidates numpy's per-call overhead is most of the cost, so one call serves every
group. The sums are then added one group at a time in the question's order, exactly as adding
each group's evidence in turn did (floating-point sums depend on their order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .around import Around
from .corpus import Index
from .evidence import Columns, Weights, heading_hits, title_focus, title_hits
from .query import Query
from .scratch import Scratch, present, summed_in_order
from .settings import SearchSettings
from .window import Windows


@dataclass(frozen=True)
class Sums:
    """Per candidate: the query's evidence, summed over its groups."""

    sent: np.ndarray  # BM25 of the sentence itself
    ctx: np.ndarray  # evidence from the structure around it
    covered: np.ndarray  # question weight present anywhere around it (abstention)
    close: np.ndarray  # question weight in the sentence, its paragraph, heading or title (coord)
    matched: np.ndarray  # whether the sentence holds a question term (whatever its idf's sign)
    must: np.ndarray
    party: np.ndarray  # how many of the named parties it names
    parties: int
    total: float  # the question weight coverage and coord divide by


@dataclass(frozen=True)
class _Facts:
    """Each group (first axis) in each candidate."""

    tf: np.ndarray  # its (discounted) term count in the sentence
    hit: np.ndarray  # tf > 0
    bm25: np.ndarray  # its BM25 in the sentence, exactly rank-bm25's for a one-term group
    in_para: np.ndarray
    in_section: np.ndarray
    in_title: np.ndarray  # the sentence's source title holds it
    share: np.ndarray  # in_title weighted by how much of the title it is (0: no title holds it)


def group_sums(index: Index, query: Query, settings: SearchSettings, cols: list[Columns],
               around: Around, source: np.ndarray, work: Scratch, near: Windows | None,
               weights: Weights) -> Sums:
    """Every group's sentence score, context evidence and coverage for candidate rows (ascending).

    `source`: the rows' sources; `near`: the passages ±1, given each group's neighbour evidence.
    """
    n = len(around.rows)
    found = around.groups(cols)
    idf = np.array(weights.idf, dtype=np.float64)
    bm25 = found.bm25(idf, index.params.k1, around.norm)
    in_title, share = _titles(index, query, settings, source, work, n)
    tf = found.tf[:, :n]
    facts = _Facts(tf=tf, hit=tf > 0, bm25=bm25[:, :n], in_para=found.in_para,
                   in_section=found.in_section, in_title=in_title, share=share)
    if near is not None:  # the groups the passage ±1 counts for (index/window)
        windowed = [i for i, (g, c) in enumerate(zip(query.groups, cols, strict=True))
                    if near.wants(g, c)]
        near.add_groups(windowed, query.groups, facts.hit, bm25[:, n:], share)
    section = around.section_of
    sent, ctx = _scores(query, settings, facts, idf)
    matched = facts.hit.any(axis=0) if len(query.groups) else np.zeros(n, dtype=bool)
    covered, close, total = _coverage(index, query, facts, weights, section, work)
    must, party = np.ones(n, dtype=bool), np.zeros(n)
    for i, group in enumerate(query.groups):
        if group.must:
            must &= facts.hit[i] | facts.in_para[i]
        if group.party:
            party += facts.hit[i]
    return Sums(sent=sent, ctx=ctx, covered=covered, close=close, matched=matched, must=must,
                party=party, parties=sum(1 for g in query.groups if g.party), total=total)


def _titles(index: Index, query: Query, settings: SearchSettings, source: np.ndarray,
            work: Scratch, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group and candidate: whether its source title holds the group, and the group's share."""
    in_title, share = np.zeros((len(query.groups), n), dtype=bool), np.zeros((len(query.groups), n))
    focus = None
    for i, group in enumerate(query.groups):
        hits = title_hits(index, group)
        if len(hits):
            focus = title_focus(index, settings)[source] if focus is None else focus
            in_title[i] = present(hits, work.sources, source)
            share[i] = in_title[i] * focus
    return in_title, share


def _scores(query: Query, settings: SearchSettings, facts: _Facts,
            idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sentence's own evidence and the evidence around it, added group by group.

    A term the source's title holds is what the whole source is about: saying it again in a
    sentence tells less about which sentence answers (the title evidence still counts). A party
    is exempt: "what does Russia want" asks for Russia's own words (party_focus). The share is
    moved, not dropped: every sentence of the source gets it as the term's weight at one
    occurrence (its idf), so a source never loses to other sources for naming its own subject;
    within the source, the sentences that repeat the title term lead less. With no title share
    (0) the factor is 1 and the title terms 0: the same values as leaving them out.
    """
    weight = np.array([g.weight for g in query.groups], dtype=np.float64)[:, None]
    discount = np.array([0.0 if g.party else settings.title_discount for g in query.groups],
                        dtype=np.float64)[:, None]
    section_only = settings.section_weight * (facts.in_section & ~facts.in_para)
    discounted = discount * facts.share
    own = weight * facts.bm25 * (1.0 - discounted)
    around = (weight * idf[:, None]) * (discounted + section_only
                                        + settings.title_weight * facts.share)
    return summed_in_order(own), summed_in_order(around)


def _coverage(index: Index, query: Query, facts: _Facts, weights: Weights, section: np.ndarray,
              work: Scratch) -> tuple[np.ndarray, np.ndarray, float]:
    """The required question weight covered anywhere around each candidate, and close to it.

    A headed section declares one topic, so a term anywhere in it is close; a headless body (a
    plain text, a one-paragraph summary) is not one topic unit.
    """
    n = facts.tf.shape[1]
    covered, close, total = np.zeros(n), np.zeros(n), 0.0
    required = [i for i, g in enumerate(query.groups) if g.required]
    if not required:
        return covered, close, total
    hit, in_section = facts.hit[required], facts.in_section[required]
    elsewhere = facts.in_title[required] | _headings(index, query, required, section, work)
    anywhere = hit | in_section | elsewhere
    near = hit | facts.in_para[required] | (in_section & index.section_has_heading[section])
    near |= elsewhere
    each = [weights.required(i) for i in required]
    for weight in each:
        total += weight
    column = np.array(each)[:, None]
    return summed_in_order(column * anywhere), summed_in_order(column * near), total


def _headings(index: Index, query: Query, required: list[int], section: np.ndarray,
              work: Scratch) -> np.ndarray:
    """Per required group and candidate: whether the candidate's section heading holds it."""
    held = np.zeros((len(required), len(section)), dtype=bool)
    for k, i in enumerate(required):
        hits = heading_hits(index, query.groups[i])
        if len(hits):
            held[k] = present(hits, work.sections, section)
    return held
