"""Stories: the same post seen on several sources (a cross-post, a syndicated article) is one
story with several links. Every row is kept with its own link; grouping happens when reading,
by `content_hash`, so a digest can show a story once with "also on HN, Reddit", and a person
is alerted about it once. An author who retells a post on another network in other words (a
hashtag added, a sentence shortened to fit) the same day is telling the same story too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.models import Mention

MIN_WORDS = 4
"""Shorter texts ("Acme!", a bare link) say too little to be called the same story."""
SIMILAR = 0.5
"""The share of words two posts by one author must have in common to be one story. In the
demo's world an author's retellings share 53–92% of their words; two looser ones (36%, 42%)
stay apart, the price of never merging two different posts."""
RETELL_WITHIN = timedelta(days=1)
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


def _words(mention: Mention) -> list[str]:
    return _WORD.findall(_URL.sub(" ", f"{mention.title or ''} {mention.text}".lower()))


def groupable(mention: Mention) -> bool:
    return len(_words(mention)) >= MIN_WORDS


def _author(mention: Mention) -> str:
    return (mention.author_name or mention.author or "").strip().lower()


def retelling(first: Mention, second: Mention) -> bool:
    """Whether `second` is its author's retelling of `first` on another network within a day,
    in mostly the same words. On one network an author's look-alike posts are a series (job
    ads, status updates), not one story told twice."""
    author = _author(first)
    if not author or author != _author(second) or first.source_id == second.source_id:
        return False
    if abs(first.published_at - second.published_at) > RETELL_WITHIN:
        return False
    a, b = set(_words(first)), set(_words(second))
    return bool(a and b) and len(a & b) / len(a | b) >= SIMILAR


def same_story(first: Mention, second: Mention) -> bool:
    if not (groupable(first) and groupable(second)):
        return first.id == second.id
    return first.content_hash == second.content_hash or retelling(first, second)


def copies_of(mention: Mention, *, session: Session) -> list[Mention]:
    """The other stored mentions of its story published within `RETELL_WITHIN` of it: the
    same words on another source, or its author's retelling."""
    if not groupable(mention):
        return []
    alike = [Mention.content_hash == mention.content_hash]
    if mention.author_name:
        alike.append(Mention.author_name == mention.author_name)
    if mention.author:
        alike.append(Mention.author == mention.author)
    statement = select(Mention).where(
        Mention.published_at.between(
            mention.published_at - RETELL_WITHIN, mention.published_at + RETELL_WITHIN
        ),
        or_(*alike),
        Mention.id != mention.id,
    )
    return [m for m in session.scalars(statement) if same_story(mention, m)]
