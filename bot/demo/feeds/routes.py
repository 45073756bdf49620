"""What a source kind's demo feed declares: the requests it answers, and what it is given to
answer one. The feed server routes every request through the kinds' routes, so a kind brings
its own API to the demo by listing them in its module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.demo.feeds.formats import Answer, Query
from bot.demo.posts import WorldMention


@dataclass(frozen=True)
class FeedRequest:
    method: str
    path: str
    query: Query
    headers: dict[str, str]
    """Lower-cased names."""
    shown: list[WorldMention]
    """The kind's posts published by now, newest first."""
    start: datetime
    """The start of the virtual week, from which each post's offset counts."""
    url: str
    """The feed server's own URL, for the links an API puts in its answers."""
    page_size: int | None
    """A cap on every page, below what the connector asks for (to show paging)."""


@dataclass(frozen=True)
class Route:
    method: str
    """GET routes answer HEAD too."""
    path: str
    answer: Callable[[FeedRequest], Answer]
    prefix: bool = False
    """Match every path under `path` rather than `path` alone."""

    def matches(self, method: str, path: str) -> bool:
        if method != self.method and not (method == "HEAD" and self.method == "GET"):
            return False
        return path.startswith(self.path) if self.prefix else path == self.path
