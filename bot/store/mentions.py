"""Mentions: idempotent batch insert, full-text search, counts and the top of a period."""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVarTuple, cast

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Table,
    and_,
    false,
    func,
    or_,
    select,
    text,
    update,
)
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
Columns = TypeVarTuple("Columns")
_WORD = re.compile(r"\w+", re.UNICODE)
_URL = re.compile(r"https?://\S+")


LATE_WINDOW = timedelta(days=7)
"""How long after it was published a mention fetched late still makes the next digest; older
finds (a backfill, an import of last year's posts) are searchable but not news."""


@dataclass(frozen=True)
class Arrivals:
    """Which fetches a delivered digest takes, so that every mention is in exactly one: those
    published in its period and fetched by the time it was claimed, and those published before
    its period (within `LATE_WINDOW`) but fetched after the previous digest was claimed, which
    no digest could have shown yet."""

    until: datetime
    after: datetime | None = None


def in_period(
    since: datetime, until: datetime, arrivals: Arrivals | None = None
) -> ColumnElement[bool]:
    """Published in [since, until); with `arrivals`, as a delivered digest counts it."""
    published = and_(Mention.published_at >= since, Mention.published_at < until)
    if arrivals is None:
        return published
    on_time = and_(published, Mention.fetched_at <= arrivals.until)
    if arrivals.after is None:
        return on_time
    late = and_(
        Mention.published_at >= since - LATE_WINDOW,
        Mention.published_at < since,
        Mention.fetched_at > arrivals.after,
        Mention.fetched_at <= arrivals.until,
    )
    return or_(on_time, late)


_ARRIVALS_LOCK = zlib.crc32(b"silta-arrivals")
"""The PostgreSQL advisory lock that orders fetch stamps against digest claims, named as the
leader's lock is (`bot.leader.LOCK_KEY`), so the two never share a key."""


def hold_arrivals(session: Session, *, claiming: bool = False) -> None:
    """Order this transaction's fetch stamps, or its claim, against the others, until it ends.

    A digest takes what was fetched by the time it was claimed (see `Arrivals`), so a mention
    stamped before a claim must be committed before that digest reads, or it would be in
    neither that digest nor the next. A poll holds this before it reads the clock for its
    stamps, and keeps it until it commits; a claim holds it alone, so it waits for polls in
    flight, and reads its clock after. On PostgreSQL polls share an advisory lock that claims
    take exclusively; SQLite has one writer at a time, and an empty update makes this
    transaction that writer now rather than at its first insert.
    """
    if session.get_bind().dialect.name == "postgresql":
        lock = "pg_advisory_xact_lock" if claiming else "pg_advisory_xact_lock_shared"
        session.execute(text(f"SELECT {lock}(:key)"), {"key": _ARRIVALS_LOCK})
    else:
        # Core: the ORM would look through the session's mentions
        table = cast(Table, Mention.__table__)
        session.execute(update(table).where(false()).values(id=table.c.id))


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


_FIELDS = tuple(f.name for f in fields(NewMention))


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
    hold_arrivals(session)
    now = utcnow()
    rows = [
        {
            **{name: getattr(m, name) for name in _FIELDS},
            "source_id": source_id,
            "fetched_at": now,
            "content_hash": content_hash(m.title, m.text),
        }
        for m in mentions
    ]
    if session.get_bind().dialect.name == "postgresql":
        inserted = _insert_postgres(rows, session)
    else:
        table = cast(Table, Mention.__table__)
        statement = (
            sqlite_insert(table)
            .on_conflict_do_nothing(index_elements=["source_id", "external_id"])
            .returning(table.c.external_id, table.c.id)
        )
        inserted = session.connection().execute(statement, rows).all()
    new = {external_id: id_ for external_id, id_ in inserted}
    return [new[m.external_id] for m in mentions if m.external_id in new]


_PG_ARRAY_TYPES = {
    "source_id": "bigint",
    "reach": "bigint",
    "engagement": "bigint",
    "published_at": "timestamptz",
    "fetched_at": "timestamptz",
    "extra": "json",
}


_COLUMNS = (*_FIELDS, "source_id", "fetched_at", "content_hash")
# Built once from the fixed column list above; only values travel as parameters.
_PG_INSERT = text(
    f"INSERT INTO mentions ({', '.join(_COLUMNS)}) SELECT * FROM unnest("  # noqa: S608
    + ", ".join(f"CAST(:{c} AS {_PG_ARRAY_TYPES.get(c, 'text')}[])" for c in _COLUMNS)
    + ") ON CONFLICT (source_id, external_id) DO NOTHING RETURNING external_id, id"
)


def _insert_postgres(rows: list[dict[str, Any]], session: Session) -> Sequence[Row[str, int]]:
    """One INSERT … SELECT FROM unnest(arrays): a parameter per column, not per value, so
    psycopg does not re-parse a 15,000-placeholder query for every batch."""
    arrays = {name: [row[name] for row in rows] for name in _COLUMNS}
    arrays["extra"] = [None if e is None else json.dumps(e) for e in arrays["extra"]]
    return session.connection().execute(_PG_INSERT, arrays).all()


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
    sure: float | None = None
    """Only mentions classified at least this confidently: what a team receives."""
    unsure: float | None = None
    """Only classified mentions below this confidence: what waits in triage."""


def query_terms(words: str) -> list[str]:
    """The words a search matches on: lower-cased, stop words dropped, order kept."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(words.lower()):
        if word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def search(query: SearchQuery, *, session: Session) -> list[Mention]:
    """The newest mentions matching every word and filter; stemmed, so "refunds" finds "refund"."""
    terms = query_terms(query.words)
    if query.words.strip() and not terms:
        return []  # only stop words: nothing to match on, as on PostgreSQL
    if terms and session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(query, terms, session)
    statement = filtered(select(Mention), query)
    if terms:
        statement = statement.where(
            text("mentions.search @@ plainto_tsquery('english', :terms)").bindparams(
                terms=" ".join(terms)
            )
        )
    return list(session.scalars(_newest_first(statement, query)))


def _newest_first(statement: Select[Any], query: SearchQuery) -> Select[Any]:
    return (
        statement.order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(query.limit)
        .offset(query.offset)
    )


def _search_sqlite(query: SearchQuery, terms: list[str], session: Session) -> list[Mention]:
    """Rank the matches on the narrow recency index first, then read only the rows shown:
    sorting thousands of full rows for a common word is what made searches slow."""
    fts = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    matching = select(text("rowid")).select_from(text("mentions_fts"))
    matching = matching.where(text("mentions_fts MATCH :fts").bindparams(fts=fts))
    ranked = filtered(
        select(Mention.id).with_hint(Mention, "INDEXED BY ix_mentions_recency", "sqlite"), query
    ).where(Mention.id.in_(matching))
    ids = list(session.scalars(_newest_first(ranked, query)))
    rows = {m.id: m for m in session.scalars(select(Mention).where(Mention.id.in_(ids)))}
    return [rows[i] for i in ids]


def filtered(statement: Select[*Columns], query: SearchQuery) -> Select[*Columns]:
    """`statement` narrowed to what `query` asks for (its words aside: search matches those)."""
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
    if query.sure is not None:
        statement = statement.where(Mention.confidence >= query.sure)
    if query.unsure is not None:
        statement = statement.where(
            Mention.category.is_not(None), Mention.confidence < query.unsure
        )
    return statement


def count_by_category(
    since: datetime,
    until: datetime,
    *,
    session: Session,
    categories: Sequence[str] | None = None,
    arrivals: Arrivals | None = None,
    sure: float | None = None,
    unsure: float | None = None,
) -> dict[str | None, int]:
    """How many mentions each category got in [since, until); unclassified ones count as None.
    `sure` and `unsure` as in `SearchQuery`."""
    statement = filtered(
        select(Mention.category, func.count()).where(in_period(since, until, arrivals)),
        SearchQuery(categories=categories, sure=sure, unsure=unsure),
    ).group_by(Mention.category)
    return {category: count for category, count in session.execute(statement)}


def top(
    since: datetime,
    until: datetime,
    *,
    session: Session,
    categories: Sequence[str] | None = None,
    limit: int = 10,
    arrivals: Arrivals | None = None,
    sure: float | None = None,
) -> list[Mention]:
    """The mentions of a period that most need eyes: urgent, then engaged, then far-reaching."""
    statement = filtered(
        select(Mention).where(in_period(since, until, arrivals)),
        SearchQuery(categories=categories, sure=sure),
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
