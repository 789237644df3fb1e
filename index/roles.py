"""Who holds a role: "who is the head of Energoatom", "who is Ukraine's defence minister".

Such a question names a role (head, defence minister) and whose it is (Energoatom, Ukraine). In
news about the same story both words occur, but often apart: "the head of Rosatom", a sentence
about Energoatom. The answer is a sentence that names the role together with its holder's
organisation or country, so a shown passage must hold, in one of its sentences, the role's
words (or a word news uses for them: data/synonyms.txt) and every known word of the holder.

Only offices (data/offices.txt): a kinship or a creation is said in too many ways ("the only
child of Lord Byron" answers "who was Ada Lovelace's father").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .corpus import Index
from .evidence import group_idf
from .models import Passage
from .query import Query, TermGroup
from .tokens import spans

_WHO_IS = r"^\s*who(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?"
# Time words say which holder is meant, not what the role is: "the new head of …".
_WHEN = r"(?:(?:new|current|next|former|acting|present|interim)\s+)?"
# "who is the head of Energoatom", "who's the boss at NABU"
_ROLE_OF = re.compile(rf"{_WHO_IS}{_WHEN}(\w+)\s+(?:of|at|for)\s+(?:the\s+)?(.+?)\s*\??\s*$",
                      re.I)
# "who is Ukraine's defence minister", "who was Ada Lovelace's father"
_ROLE_OWNED = re.compile(rf"{_WHO_IS}((?:[\w-]+\s+){{0,3}}?[\w-]+)(?:'s|s')\s+{_WHEN}"
                         r"((?:[\w-]+\s+){0,2}[\w-]+)\s*\??\s*$", re.I)


@dataclass(frozen=True)
class RoleQuestion:
    """A role the question asks the holder of, and whose role it is, as typed and as groups."""

    phrase: str  # "the head of energoatom", "ukraine's defence minister"
    role: tuple[TermGroup, ...]
    holder: tuple[TermGroup, ...]


def role_question(index: Index, query: Query) -> RoleQuestion | None:
    """The role and holder "who is the Y of X" / "who is X's Y" asks about (None: no such form)."""
    of = _ROLE_OF.search(query.text)
    owned = None if of else _ROLE_OWNED.search(query.text)
    if of:
        role, holder, phrase = of.group(1), of.group(2), f"the {of.group(1)} of {of.group(2)}"
    elif owned:
        holder, role = owned.group(1), owned.group(2)
        phrase = f"{holder}'s {role}"
    else:
        return None
    role_terms, holder_terms = _terms(role), _terms(holder)
    if not role_terms & _offices():
        return None
    role_groups = tuple(g for g in query.groups if g.term in role_terms)
    holder_groups = tuple(g for g in query.groups
                          if g.term in holder_terms and group_idf(index, g) > 0)
    return RoleQuestion(phrase, role_groups, holder_groups) if role_groups else None


@cache
def _offices() -> frozenset[str]:
    """The terms of words naming an office or post (data/offices.txt)."""
    text = resources.files("index").joinpath("data/offices.txt").read_text(encoding="utf-8")
    return frozenset(t for line in text.splitlines() if line.strip() and line[0] != "#"
                     for t in _terms(line))


def _terms(text: str) -> set[str]:
    """The index terms of some words."""
    return {t for _, _, ts in spans(text) for t in ts}


def unheld_role(index: Index, query: Query, passages: Sequence[Passage]) -> str | None:
    """The role asked about, when no shown sentence names it with its holder (else None)."""
    asked = role_question(index, query)
    if asked is None or not passages:
        return None
    wanted = asked.role + asked.holder
    for passage in passages:
        row = passage.sentence_ids[passage.match_offset]
        section = index.sent_section[row]
        for near in (row - 1, row, row + 1):
            if 0 <= near < index.size and index.sent_section[near] == section:
                terms = _terms(index.sentence(near))
                if all(any(t in terms for t, _ in g.terms) for g in wanted):
                    return None
    return asked.phrase
