"""Bounds on a candidate's final score from the first stage alone.

What the two-stage search (index/search.py) prunes with.
"""

from __future__ import annotations

import numpy as np

from .corpus import Index
from .evidence import GroupScore, group_idf, unseen_weight
from .query import Query
from .settings import SearchSettings


def bounds(index: Index, query: Query, settings: SearchSettings, rows: np.ndarray,
           first: list[GroupScore], is_titled: np.ndarray,
           factors: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's final score at most and at least (-inf: it may not be kept at all).

    Sentence and title evidence, answer-kind, position and party factors are exact; section
    evidence lies between none and every term in the sentence's section, and coord between what
    the sentence and its title hold and one (or its least, for a score below zero).
    `factors` are the candidates' answer-kind × position factors (signals.py).
    """
    base = np.zeros(len(rows))
    section_most = section_least = 0.0
    named, parties = np.zeros(len(rows)), 0
    matched = is_titled.copy()
    sure = np.ones(len(rows), dtype=bool)  # every "must" group matched in the sentence itself
    close, total, unseen = np.zeros(len(rows)), 0.0, unseen_weight(index, query)
    for group, g in zip(query.groups, first, strict=True):
        if group.required:  # a term in the sentence or its title is close: coord's least
            weight = w if (w := group_idf(index, group)) > 0 else unseen
            total += weight
            close += weight * ((g.tf > 0) if g.in_title is None else (g.tf > 0) | g.in_title)
        discount = 0.0 if group.party else settings.title_discount
        idf = group.weight * group_idf(index, group)
        if g.title_share is None:  # no title holds it
            base += group.weight * g.bm25
        else:
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
    if parties and settings.party_focus:
        factors = factors * (1.0 + settings.party_focus * named / parties)
    least_coord = 1.0 - settings.coord_weight
    if total and settings.coord_weight:
        least_coord = least_coord + settings.coord_weight * close / total
    most, least = base + section_most, base + section_least
    upper = factors * np.where(most > 0, most, most * (1.0 - settings.coord_weight))
    lower = factors * np.where(least > 0, least * least_coord, least)
    return upper, np.where(matched & sure, lower, -np.inf)
