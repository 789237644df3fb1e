"""What a counting question counts: "how many grain ships …" → the terms of "grain ships"."""

from __future__ import annotations

import re

from .tokens import spans

# "how many of the X" counts X too.
_HOW_MANY = re.compile(r"\bhow many\b(?:\s+of(?:\s+(?:the|its|their|our|these|those))?\b)?", re.I)


def counted_terms(question: str) -> tuple[str, ...]:
    """The terms of the noun a "how many" question counts ("how many grain ships" → grain, ship).

    Up to two words right after "how many", stopping at the first stopword ("how many people
    were …" counts people); empty when the question counts nothing.
    """
    match = _HOW_MANY.search(question)
    if match is None:
        return ()
    found: list[str] = []
    for _, _, terms in spans(question[match.end():]):
        if not terms:
            break
        found.extend(terms)
        if len(found) >= 2:
            break
    return tuple(found)
