"""The exceptions Silta raises on purpose, so one handler can decide what people see.

    SiltaError                 anything Silta explains to a person in one paragraph
    ├── ConfigError            the workspace file or the environment is wrong (lists every problem)
    ├── DatabaseError          the database cannot be reached or is at an unknown revision
    ├── SourceError            a source failed (HTTP, parse, rate limit); the poll goes on
    │   └── RateLimited        the source asked us to wait `retry_after` seconds
    ├── ClassifierError        a model cannot be trained or loaded
    ├── SlackError             Slack refused a call (not in channel, bad token); says the fix
    └── CommandError           a `/silta` or `silta` command was used wrongly; says the right usage

Anything else is a bug: it is logged with an id, and the person sees that id.
"""

from __future__ import annotations


class SiltaError(Exception):
    """A failure with a message written for the person who has to fix it."""


class ConfigError(SiltaError):
    """The configuration is invalid; `problems` holds one line per key."""

    def __init__(self, problems: list[str], *, path: str | None = None) -> None:
        self.problems = problems
        self.path = path
        where = f" in {path}" if path else ""
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s){where}:\n{lines}")


class DatabaseError(SiltaError):
    """The database is unreachable, or its schema is newer than this version of Silta."""


class SourceError(SiltaError):
    """A source could not be polled; the message names the source and what went wrong."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class RateLimited(SourceError):
    """The source asked us to come back later."""

    def __init__(self, message: str, *, retry_after: float, source: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, source=source)


class ClassifierError(SiltaError):
    """A model could not be trained or loaded."""


class SlackError(SiltaError):
    """Slack refused a call; `code` is Slack's error string (e.g. not_in_channel)."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        self.code = code
        super().__init__(message)


class CommandError(SiltaError):
    """A command was used wrongly; the message carries the closest valid usage."""
