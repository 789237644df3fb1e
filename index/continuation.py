"""More passages for a question already answered: the next ones, never one shown before.

Asking for more passages can still move one of the first ones: past six passages the pool that
what the question names is looked for in grows with `top` (answer.NAMING_POOL), and so does the
shortlist; and the declines read every passage shown. Taken by position, "more" would then show
a passage again and skip another (13 of 507 answered public questions while the pool was twice
`top`). So an answer's continuation is rebuilt as it was shown: the first `step` passages, then
each time the next `step` that were not shown before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .answer import MAX_TOP
from .models import Answer


def continued(ask: Callable[[int], Answer], *, shown: int, step: int) -> Answer:
    """The answer with its passages in the order they were (and will be) shown, to shown + step.

    `ask(top)` answers the same question with `top` passages; `shown` were shown already, `step`
    at a time (the first answer's `top`). The answer's other fields are the first answer's.
    """
    first = ask(step)
    passages = list(first.passages)
    top = step
    while first.answered and len(passages) < shown + step and top < MAX_TOP:
        top = min(len(passages) + step, MAX_TOP)
        seen = {p.key for p in passages}
        new = [p for p in ask(top).passages if p.key not in seen]
        if not new:
            break
        passages += new[:step]
    ranked = tuple(replace(p, rank=rank) for rank, p in enumerate(passages, start=1))
    return replace(first, passages=ranked)
