"""One mention of the demo world, as the demo feeds serve it and the webhook pushes it.

Its own module so that the source kinds' demo feeds can read posts without importing the world
itself: the world validates its workspace with `bot.config`, whose schema is built from the
source kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class WorldMention:
    kind: str
    source: str
    """The source's name in the workspace template."""
    id: str
    """The external id Silta stores for it (the API's own id, as the connector reads it)."""
    author: str
    reach: int | None
    """Followers, karma, score or reputation, where the API has one."""
    title: str | None
    text: str
    url: str
    offset: timedelta
    """Published this long after the start of the virtual week (negative: before it)."""
    category: str
    """What the world's author meant it to be: for tests and docs only."""
    language: str = "en"
    author_name: str | None = None
    where: str | None = None
    """The subreddit, repository, YouTube video or Stack Exchange site it lives in."""
    story: str | None = None
    """Set on the copies of one story cross-posted to several sources."""
    seq: int = 0
    """Its rank in its kind's publish order (0 is the oldest)."""

    def record(self, start: Any) -> dict[str, Any]:
        """The mention as a JSONL record (`silta import`, webhook pushes), published at
        `start + offset`."""
        return {
            "source": self.source,
            "kind": self.kind,
            "external_id": self.id,
            "url": self.url,
            "author": self.author,
            "author_name": self.author_name,
            "reach": self.reach,
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "published_at": (start + self.offset).isoformat(),
        }
