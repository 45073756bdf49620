"""Mentions: idempotent batch insert, full-text search, counts and the top of a period."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import Mention, Source, utcnow

# Words PostgreSQL's english configuration leaves out of the index. SQLite's FTS5 indexes them,
# so a query drops them too: both backends then answer "the refund" the same way, and fast.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own s same she should so some such t than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with you your
    yours yourself yourselves""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class NewMention:
    """A mention as every source hands it over: normalised, not yet stored."""

    external_id: str
    text: str
    published_at: datetime
    url: str | None = None
    author: str | None = None
    author_name: str | None = None
    reach: int | None = None
    title: str | None = None
    language: str | None = None
    parent_url: str | None = None
    engagement: int | None = None
    extra: dict[str, Any] | None = field(default=None, hash=False)


def content_hash(title: str | None, text: str) -> str:
    """The same story posted twice, or cross-posted, hashes alike: case, links and
    punctuation aside."""
    body = _URL.sub(" ", f"{title or ''} {text}".lower())
    words = _WORD.findall(body)
    return hashlib.sha1(" ".join(words).encode(), usedforsecurity=False).hexdigest()


def insert_many(mentions: Sequence[NewMention], *, source_id: int, session: Session) -> list[int]:
    """Store the mentions that are new for this source; return their ids, in input order.

    A mention already stored for (source, external id) is skipped, so a repeated poll or a
    re-imported file adds nothing.
    """
    if not mentions:
        return []
    now = utcnow()
    rows = [
        {
            **asdict(m),
            "source_id": source_id,
            "fetched_at": now,
            "content_hash": content_hash(m.title, m.text),
        }
        for m in mentions
    ]
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    statement = (
        insert(Mention)
        .on_conflict_do_nothing(index_elements=["source_id", "external_id"])
        .returning(Mention.id, sort_by_parameter_order=True)
    )
    result = session.execute(statement, rows)
    return [row_id for row_id in result.scalars() if row_id is not None]


@dataclass(frozen=True)
class SearchQuery:
    """What `/silta search` and the digests' "see everything" link ask for."""

    words: str = ""
    categories: Sequence[str] | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    limit: int = 20
    offset: int = 0


def query_terms(words: str) -> list[str]:
    """The words a search matches on: lower-cased, stop words dropped, order kept."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(words.lower()):
        if word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def search(query: SearchQuery, *, session: Session) -> list[Mention]:
    """The newest mentions matching every word and filter; stemmed, so "refunds" finds "refund"."""
    statement = _filtered(select(Mention), query)
    terms = query_terms(query.words)
    if terms:
        statement = statement.where(_matches(terms, session))
    elif query.words.strip():
        return []  # only stop words: nothing to match on, as on PostgreSQL
    statement = (
        statement.order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(query.limit)
        .offset(query.offset)
    )
    return list(session.scalars(statement))


def _matches(terms: list[str], session: Session) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        fts = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return Mention.id.in_(
            select(text("rowid"))
            .select_from(text("mentions_fts"))
            .where(text("mentions_fts MATCH :fts").bindparams(fts=fts))
        )
    return text("mentions.search @@ plainto_tsquery('english', :terms)").bindparams(
        terms=" ".join(terms)
    )


def _filtered(statement: Select[Any], query: SearchQuery) -> Select[Any]:
    if query.categories is not None:
        statement = statement.where(Mention.category.in_(list(query.categories)))
    if query.source:
        statement = statement.where(
            Mention.source_id.in_(select(Source.id).where(Source.name == query.source))
        )
    if query.since:
        statement = statement.where(Mention.published_at >= query.since)
    if query.until:
        statement = statement.where(Mention.published_at < query.until)
    if query.sentiment == "negative":
        statement = statement.where(Mention.sentiment < -0.05)
    elif query.sentiment == "positive":
        statement = statement.where(Mention.sentiment > 0.05)
    elif query.sentiment == "neutral":
        statement = statement.where(Mention.sentiment.between(-0.05, 0.05))
    return statement


def count_by_category(
    since: datetime, until: datetime, *, session: Session, categories: Sequence[str] | None = None
) -> dict[str, int]:
    """How many mentions each category got in [since, until); unclassified ones count as None."""
    statement = (
        select(Mention.category, func.count())
        .where(Mention.published_at >= since, Mention.published_at < until)
        .group_by(Mention.category)
    )
    if categories is not None:
        statement = statement.where(Mention.category.in_(list(categories)))
    return {category: count for category, count in session.execute(statement)}


def top(
    since: datetime,
    until: datetime,
    *,
    session: Session,
    categories: Sequence[str] | None = None,
    limit: int = 10,
) -> list[Mention]:
    """The mentions of a period that most need eyes: urgent, then engaged, then far-reaching."""
    statement = _filtered(
        select(Mention), SearchQuery(categories=categories, since=since, until=until)
    ).order_by(
        func.coalesce(Mention.urgency, 0).desc(),
        func.coalesce(Mention.engagement, 0).desc(),
        func.coalesce(Mention.reach, 0).desc(),
        Mention.published_at.desc(),
    )
    return list(session.scalars(statement.limit(limit)))


def get(mention_id: int, *, session: Session) -> Mention | None:
    return session.get(Mention, mention_id)


def count(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Mention)) or 0
