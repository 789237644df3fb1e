"""The factors on a sentence's score that need only the sentence: answer kind and position.

Cheap for every candidate, so the two-stage search's bound uses them exactly.
"""

from __future__ import annotations

import numpy as np

from .corpus import Index
from .cues import Feature
from .settings import SearchSettings


def cue_factor(index: Index, rows: np.ndarray, expects: Feature,
               settings: SearchSettings) -> np.ndarray | float:
    """Boost sentences holding the kind of answer asked for (full for the kind, half a number)."""
    if not expects or not settings.cue_boost:
        return 1.0
    features = index.features[rows]
    full = (features & int(expects)) != 0
    # A bare number half-answers a quantity or a date, not a definition.
    numeric = bool(expects & (Feature.NUMBER | Feature.COUNT | Feature.DATE))
    half = ~full & ((features & int(Feature.NUMBER)) != 0) & numeric
    return 1.0 + settings.cue_boost * (full + 0.5 * half)


def position_factor(index: Index, rows: np.ndarray, settings: SearchSettings,
                    source: np.ndarray | None = None) -> np.ndarray | float:
    """A small lead for a source's first sentences, which state what matters most.

    `source` is each row's source where the caller has it already.
    """
    if not settings.position_weight:
        return 1.0
    source = index.sent_source[rows] if source is None else source
    position = rows - index.source_first[source]
    return 1.0 + settings.position_weight / (1.0 + position) ** settings.position_decay
