"""The aggregates behind digests and the weekly report. Each is one query over a period that
the `published_at` index narrows; the few hundred grouped rows are folded by the caller."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from bot.models import Alert, Label, Mention
from bot.store.mentions import Arrivals, SearchQuery, filtered, in_period

NEGATIVE, POSITIVE = -0.05, 0.05
MOODS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class DayCount:
    day: int
    """Index of the day in the edges given: 0 is the first."""
    category: str | None
    mentions: int
    sentiment_sum: float
    rated: int


@dataclass(frozen=True)
class Acknowledged:
    mention_id: int
    user_id: str
    at: datetime


def sentiment_mix(
    since: datetime,
    until: datetime,
    *,
    session: Session,
    categories: Sequence[str] | None = None,
    arrivals: Arrivals | None = None,
    sure: float | None = None,
) -> dict[str, int]:
    """How many mentions of the period were negative, neutral and positive (unrated: neutral),
    of those classified at least `sure`ly when given."""
    mood = case(
        (Mention.sentiment < NEGATIVE, literal("negative")),
        (Mention.sentiment > POSITIVE, literal("positive")),
        else_=literal("neutral"),
    )
    statement = filtered(
        select(mood, func.count()).where(in_period(since, until, arrivals)),
        SearchQuery(categories=categories, sure=sure),
    ).group_by(mood)
    found: dict[str, int] = {mood: count for mood, count in session.execute(statement)}
    return {m: found.get(m, 0) for m in MOODS}


def per_day(
    since: datetime, until: datetime, edges: Sequence[datetime], *, session: Session
) -> list[DayCount]:
    """Mentions per day and category, with the sentiment sum; `edges` are the starts of the
    second and later days (local midnights, so a day is the team's day, not UTC's)."""
    day = case(
        *((Mention.published_at < edge, literal(i)) for i, edge in enumerate(edges)),
        else_=literal(len(edges)),
    )
    statement = (
        select(
            day,
            Mention.category,
            func.count(),
            func.coalesce(func.sum(Mention.sentiment), 0.0),
            func.count(Mention.sentiment),
        )
        .where(in_period(since, until))
        .group_by(day, Mention.category)
    )
    return [DayCount(int(d), c, n, float(s), r) for d, c, n, s, r in session.execute(statement)]


def texts(since: datetime, until: datetime, *, session: Session) -> Iterator[tuple[str, str]]:
    """(title, text) of every mention of the period, streamed."""
    statement = select(Mention.title, Mention.text).where(in_period(since, until))
    for title, text in session.execute(statement.execution_options(yield_per=2000)):
        yield title or "", text or ""


def acknowledged(
    since: datetime, until: datetime, *, session: Session, categories: Sequence[str] | None = None
) -> list[Acknowledged]:
    """Mentions whose alert someone acknowledged in the period: who, and when, once each."""
    statement = (
        select(Alert.mention_id, Alert.acknowledged_by, func.min(Alert.acknowledged_at))
        .join(Mention, Mention.id == Alert.mention_id)
        .where(
            Alert.acknowledged_at >= since,
            Alert.acknowledged_at < until,
            Alert.acknowledged_by.is_not(None),
        )
        .group_by(Alert.mention_id, Alert.acknowledged_by)
        .order_by(func.min(Alert.acknowledged_at))
    )
    if categories is not None:
        statement = statement.where(Mention.category.in_(list(categories)))
    seen: dict[int, Acknowledged] = {}
    for mention_id, user_id, at in session.execute(statement):
        if user_id is not None and at is not None:  # the query's filter; mypy cannot see it
            seen.setdefault(mention_id, Acknowledged(mention_id, user_id, at))
    return list(seen.values())


def urgent_alerts(
    since: datetime, until: datetime, *, threshold: float, session: Session
) -> list[tuple[datetime, datetime | None]]:
    """(first sent, acknowledged) for each urgent mention alerted in the period."""
    statement = (
        select(func.min(Alert.sent_at), func.min(Alert.acknowledged_at))
        .join(Mention, Mention.id == Alert.mention_id)
        .where(Alert.sent_at >= since, Alert.sent_at < until, Mention.urgency >= threshold)
        .group_by(Alert.mention_id)
    )
    return [(sent, acked) for sent, acked in session.execute(statement) if sent is not None]


def moved(since: datetime, until: datetime, *, session: Session) -> int:
    """Mentions of the period that a person moved to another category."""
    statement = (
        select(func.count(func.distinct(Label.mention_id)))
        .join(Mention, Mention.id == Label.mention_id)
        .where(
            in_period(since, until),
            (Label.previous_category.is_(None)) | (Label.category != Label.previous_category),
        )
    )
    return session.scalar(statement) or 0


def copies(
    hashes: Sequence[str], since: datetime, until: datetime, *, session: Session
) -> list[Mention]:
    """Every mention of [since, until) with one of these content hashes, oldest first: the
    other sources' copies of a period's stories, found on the `published_at` index rather than
    by scanning the whole table for the (unindexed) hash."""
    if not hashes:
        return []
    statement = (
        select(Mention)
        .where(in_period(since, until), Mention.content_hash.in_(list(hashes)))
        .order_by(Mention.published_at, Mention.id)
    )
    return list(session.scalars(statement))


def mentions_by_id(ids: Sequence[int], *, session: Session) -> dict[int, Mention]:
    if not ids:
        return {}
    return {m.id: m for m in session.scalars(select(Mention).where(Mention.id.in_(list(ids))))}
