"""Stories: the same post seen on several sources (a cross-post, a syndicated article) is one
story with several links. Every row is kept with its own link; grouping happens when reading,
by `content_hash`, so a digest can show a story once with "also on HN, Reddit".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Mention

MIN_WORDS = 4
"""Shorter texts ("Acme!", a bare link) say too little to be called the same story."""
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Story:
    lead: Mention
    mentions: list[Mention]
    """Every stored copy, the lead first, then oldest first."""

    @property
    def links(self) -> list[tuple[str, str | None]]:
        """(source name, url) of each copy."""
        return [(m.source.name, m.url) for m in self.mentions]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(m.source.name for m in self.mentions))


def groupable(mention: Mention) -> bool:
    words = _WORD.findall(_URL.sub(" ", f"{mention.title or ''} {mention.text}"))
    return len(words) >= MIN_WORDS


def group(mentions: Sequence[Mention], *, session: Session) -> list[Story]:
    """The mentions as stories, in the order given, each with its copies from other sources.

    A copy that is itself in `mentions` is not repeated as a story of its own; the first one
    given leads, so the caller's ranking (urgency, engagement) decides which link comes first.
    """
    hashes = {m.content_hash for m in mentions if groupable(m)}
    copies: dict[str, list[Mention]] = {}
    if hashes:
        statement = (
            select(Mention)
            .where(Mention.content_hash.in_(hashes))
            .order_by(Mention.published_at, Mention.id)
        )
        for row in session.scalars(statement):
            copies.setdefault(row.content_hash, []).append(row)
    stories: list[Story] = []
    told: set[str] = set()
    for mention in mentions:
        if not groupable(mention):
            stories.append(Story(mention, [mention]))
            continue
        if mention.content_hash in told:
            continue
        told.add(mention.content_hash)
        others = [m for m in copies.get(mention.content_hash, []) if m.id != mention.id]
        stories.append(Story(mention, [mention, *others]))
    return stories
