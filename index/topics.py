"""The sticking points ("issues") and parties, read from `sources/issues.toml`: data, not code."""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import suppress
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

from .errors import TopicsFileError, UnknownIssueError, UnknownPartyError
from .tokens import tokenize_phrase

TOPICS_FILE = "issues.toml"
_KEY = r"^[a-z0-9_-]{1,32}$"  # what Discord accepts as a slash-command name
# Each issue is a slash command; Discord allows 100 per server, the bot's own ones included.
MAX_ISSUES = 90


@dataclass(frozen=True, kw_only=True)
class Issue:
    """A sticking point: its command key, title, description and defining query terms."""

    key: str
    title: str
    description: str
    terms: tuple[str, ...]

    @property
    def query(self) -> str:
        """The defining terms as one query text."""
        return " ".join(self.terms)


@dataclass(frozen=True, kw_only=True)
class Party:
    """A side a question can be about, and the other names it goes by."""

    key: str
    name: str
    aliases: tuple[str, ...]

    @cached_property
    def alias_terms(self) -> frozenset[str]:
        """Index terms of the one-word names (a multi-word name is recognised, not expanded)."""
        return frozenset(t for a in (self.name, *self.aliases)
                         if len(ts := tokenize_phrase(a)) == 1 for t in ts)

    @cached_property
    def phrases(self) -> tuple[tuple[str, ...], ...]:
        """Each name's terms, to recognise the party in a question."""
        return tuple(t for a in (self.name, *self.aliases) if (t := tokenize_phrase(a)))


@dataclass(frozen=True, kw_only=True)
class Topics:
    """All issues and parties."""

    issues: tuple[Issue, ...] = ()
    parties: tuple[Party, ...] = ()

    def issue(self, key: str) -> Issue:
        """The issue with this key, or UnknownIssueError naming the valid keys."""
        for issue in self.issues:
            if issue.key == key:
                return issue
        valid = ", ".join(i.key for i in self.issues) or "none defined"
        raise UnknownIssueError(f"no issue {key!r}; the issues are: {valid}")

    def party(self, key: str) -> Party:
        """The party with this key (or name), or UnknownPartyError naming the valid keys."""
        for party in self.parties:
            if key.lower() in (party.key, party.name.lower()):
                return party
        valid = ", ".join(p.key for p in self.parties) or "none defined"
        raise UnknownPartyError(f"no party {key!r}; the parties are: {valid}")


def parse_topics(text: str, origin: str = TOPICS_FILE) -> Topics:
    """Parse and validate the TOML text of an issues file."""
    import tomllib

    from pydantic import ValidationError  # ~0.1 s of imports: only when a file is parsed

    from .topics_schema import TopicsModel

    try:
        model = TopicsModel.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise TopicsFileError(f"{origin}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TopicsFileError(f"{origin}: {problems}") from None
    bad = [k for k in (*model.issues, *model.parties) if not _valid_key(k)]
    if bad:
        raise TopicsFileError(f"{origin}: keys must match {_KEY} (slash-command names): {bad}")
    if len(model.issues) > MAX_ISSUES:
        raise TopicsFileError(f"{origin}: {len(model.issues)} sticking points; at most "
                              f"{MAX_ISSUES} (each is a Discord slash command)")
    return Topics(
        issues=tuple(Issue(key=k, title=v.title, description=v.description, terms=tuple(v.terms))
                     for k, v in model.issues.items()),
        parties=tuple(Party(key=k, name=v.name, aliases=tuple(v.aliases)) for k,
                      v in model.parties.items()),
    )


def load_topics(sources_dir: Path, cache: Path | None = None) -> Topics:
    """The topics of a sources folder; none when it has no issues file.

    With a `cache` folder, a file is validated once per content: the result is kept there as
    JSON named by the content's hash, so serving an unchanged file needs no parser or schema.
    """
    path = sources_dir / TOPICS_FILE
    if not path.is_file():
        return Topics()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TopicsFileError(f"{path}: cannot be read: {exc}") from None
    if cache is None:
        return parse_topics(text, str(path))
    kept = cache / f"topics-{_CACHE_VERSION}-{hashlib.sha256(text.encode()).hexdigest()[:24]}.json"
    with suppress(OSError, ValueError, KeyError, TypeError):
        return _topics_from_json(json.loads(kept.read_text(encoding="utf-8")))
    topics = parse_topics(text, str(path))
    with suppress(OSError):  # only speed is at stake: the next run validates again
        cache.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(asdict(topics)), encoding="utf-8")
        os.replace(partial, kept)
        for stale in cache.glob("topics-*.json"):  # earlier contents of the file
            if stale != kept:
                stale.unlink(missing_ok=True)
    return topics


_CACHE_VERSION = 1  # bump when Topics, Issue or Party change shape


def _topics_from_json(data: dict) -> Topics:
    """Topics from the JSON of `dataclasses.asdict(topics)`."""
    return Topics(
        issues=tuple(Issue(key=i["key"], title=i["title"], description=i["description"],
                           terms=tuple(i["terms"]))
                     for i in data["issues"]),
        parties=tuple(Party(key=p["key"], name=p["name"],
                            aliases=tuple(p["aliases"])) for p in data["parties"]),
    )


def _valid_key(key: str) -> bool:
    """Whether a key can be a slash-command name."""
    return re.fullmatch(_KEY, key) is not None
