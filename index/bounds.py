"""Bounds on a candidate's final score from the first stage alone.

What the two-stage search (index/search.py) prunes with.
"""

from __future__ import annotations

import numpy as np

from .corpus import Index
from .evidence import GroupScore, group_idf, unseen_weight
from .query import Query
from .settings import SearchSettings


def upper_bounds(index: Index, query: Query, settings: SearchSettings,
                 first: list[GroupScore], factors: np.ndarray | float) -> np.ndarray:
    """Each candidate's final score at most.

    Sentence and title evidence, answer-kind, position and party factors are exact; section
    evidence is at most every term in the sentence's section, and coord at most one.
    `factors` are the candidates' answer-kind × position factors (signals.py).
    """
    base, most, _, factors = _evidence(index, query, settings, first, factors, ALL_CANDIDATES)
    most = base + most
    return factors * np.where(most > 0, most, most * (1.0 - settings.coord_weight))


def floor(index: Index, query: Query, settings: SearchSettings, first: list[GroupScore],
          is_titled: np.ndarray, factors: np.ndarray | float, at: np.ndarray,
          limit: int) -> float:
    """A score the best `limit` candidates all reach (-inf: none is shown).

    The limit-th best lower bound of the candidates at positions `at` (-inf when fewer than
    `limit` of them are sure to be kept). A lower bound: section evidence is at least none,
    coord at least what the sentence and its title hold (or one, for a score below zero).
    """
    base, _, least, factors = _evidence(index, query, settings, first, factors, at)
    matched = is_titled[at]
    sure = np.ones(len(at), dtype=bool)  # every "must" group matched in the sentence itself
    close, total, unseen = np.zeros(len(at)), 0.0, unseen_weight(index, query)
    for group, g in zip(query.groups, first, strict=True):
        hit = g.tf[at] > 0
        if group.required:  # a term in the sentence or its title is close: coord's least
            weight = w if (w := group_idf(index, group)) > 0 else unseen
            total += weight
            close += weight * (hit if g.in_title is None else hit | g.in_title[at])
        matched = matched | hit
        if group.must:
            sure &= hit
    least_coord = 1.0 - settings.coord_weight
    if total and settings.coord_weight:
        least_coord = least_coord + settings.coord_weight * close / total
    least = base + least
    lower = np.where(matched & sure, factors * np.where(least > 0, least * least_coord, least),
                     -np.inf)
    if np.count_nonzero(lower > -np.inf) < limit:
        return -np.inf
    return float(np.partition(lower, len(lower) - limit)[len(lower) - limit])


ALL_CANDIDATES = slice(None)  # every candidate (a view, not a copy)


def _evidence(index: Index, query: Query, settings: SearchSettings, first: list[GroupScore],
              factors: np.ndarray | float, at: np.ndarray | slice,
              ) -> tuple[np.ndarray, float, float, np.ndarray | float]:
    """At positions `at`: sentence and title evidence, section evidence's most and least, factors.

    The factors returned include the party factor.
    """
    base = np.zeros(len(first[0].bm25[at])) if first else np.zeros(0)
    section_most = section_least = 0.0
    named: np.ndarray | float = 0.0
    parties = 0
    for group, g in zip(query.groups, first, strict=True):
        discount = 0.0 if group.party else settings.title_discount
        idf = group.weight * group_idf(index, group)
        if g.title_share is None:  # no title holds it
            base = base + group.weight * g.bm25[at]
        else:
            share = g.title_share[at]
            base = base + group.weight * g.bm25[at] * (1.0 - discount * share)
            base = base + idf * (discount + settings.title_weight) * share
        section_most += max(idf, 0.0) * settings.section_weight
        section_least += min(idf, 0.0) * settings.section_weight
        if group.party:
            named = named + (g.tf[at] > 0)
            parties += 1
    if isinstance(factors, np.ndarray):
        factors = factors[at]
    if parties and settings.party_focus:
        factors = factors * (1.0 + settings.party_focus * named / parties)
    return base, section_most, section_least, factors
