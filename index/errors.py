"""Every error citebot raises on purpose, in one place; each edge turns them into clean messages."""

from __future__ import annotations


class CitebotError(Exception):
    """Base of all errors that are the user's or the environment's, not a bug."""


class UsageError(CitebotError):
    """The request itself is wrong: an empty question, an unknown source or issue key."""


class EmptyQuestionError(UsageError):
    """The question has no text to search for."""


class UnknownIssueError(UsageError):
    """No sticking point has this key."""


class UnknownPartyError(UsageError):
    """No party has this key."""


class UnknownSourceError(UsageError):
    """No indexed source has this id."""


class SourcesError(CitebotError):
    """The sources folder is missing or unusable as a whole."""


class TopicsFileError(CitebotError):
    """`issues.toml` is malformed."""


class IndexFormatError(CitebotError):
    """A saved index is corrupt, truncated or of another format version."""


class IndexWriteError(CitebotError):
    """The index cannot be written (a full disk, a read-only folder): nothing partial is left."""


class ConfigError(CitebotError):
    """The bot's configuration file is missing, malformed or incomplete."""


class FetchError(CitebotError):
    """A web page could not be fetched, or the fetch policy refused it."""


class AddSourceError(CitebotError):
    """A page or file cannot be added as a source (no article text, unreadable, wrong kind)."""


class RemoveSourceError(CitebotError):
    """A source cannot be taken out (a read-only folder, a file gone meanwhile): nothing changed."""


class DuplicateSourceError(AddSourceError):
    """The article is already a source (same canonical URL, or the same text)."""


class SemanticModelError(CitebotError):
    """The semantic model is missing, or its files do not have the pinned hashes."""
