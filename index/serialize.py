"""The public JSON shape of an answer (`citebot ask --json`): keep it stable."""

from __future__ import annotations

from typing import Any

from .models import Answer, Passage


def passage_to_json(passage: Passage) -> dict[str, Any]:
    """One passage as the JSON object users and scripts rely on."""
    c = passage.citation
    return {"rank": passage.rank, "score": round(passage.score, 6), "source": c.source_id,
            "title": c.title, "section": c.section, "paragraph": c.paragraph, "url": c.url,
            "publisher": c.publisher, "published": c.published,
            "match": passage.match, "text": passage.text, "citation": c.text,
            "also_reported_by": [{"source": a.source_id, "title": a.title, "url": a.url,
                                  "publisher": a.publisher, "published": a.published,
                                  "citation": a.text} for a in passage.also_reported_by]}


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """An answer as the JSON object printed by `citebot ask --json`."""
    return {"question": answer.question, "answered": answer.answered,
            "abstention": answer.abstention, "unknown_terms": list(answer.unknown_terms),
            "missing": answer.missing,
            "passages": [passage_to_json(p) for p in answer.passages]}
