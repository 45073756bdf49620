"""The numbers behind `/silta stats` and App Home: one scan of a period's mentions, grouped
by day, sentiment and source, then folded in Python (a few hundred rows at most)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from bot.models import Mention, Source

NEGATIVE, POSITIVE = -0.05, 0.05


@dataclass(frozen=True)
class PeriodStats:
    since: datetime
    until: datetime
    total: int
    previous: int
    """The same length of time just before `since`."""
    per_day: list[int]
    sentiment: dict[str, int] = field(default_factory=dict)
    sources: list[tuple[str, int]] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        return None if not self.previous else (self.total - self.previous) / self.previous


def period(
    since: datetime,
    until: datetime,
    *,
    session: Session,
    categories: Sequence[str] | None = None,
    top_sources: int = 3,
) -> PeriodStats:
    days = max(1, round((until - since) / timedelta(days=1)))
    edges = [since + (until - since) * i / days for i in range(1, days)]
    day = case(
        *((Mention.published_at < edge, literal(i)) for i, edge in enumerate(edges)),
        else_=literal(days - 1),
    )
    mood = case(
        (Mention.sentiment < NEGATIVE, literal("negative")),
        (Mention.sentiment > POSITIVE, literal("positive")),
        else_=literal("neutral"),
    )
    statement = (
        select(day, mood, Mention.source_id, func.count())
        .where(Mention.published_at >= since, Mention.published_at < until)
        .group_by(day, mood, Mention.source_id)
    )
    if categories is not None:
        statement = statement.where(Mention.category.in_(list(categories)))
    per_day, moods, by_source = [0] * days, Counter[str](), Counter[int]()
    for index, feeling, source_id, count in session.execute(statement):
        per_day[int(index)] += count
        moods[feeling] += count
        by_source[source_id] += count
    names = dict(session.execute(select(Source.id, Source.name)).all()) if by_source else {}
    return PeriodStats(
        since=since,
        until=until,
        total=sum(per_day),
        previous=_count(since - (until - since), since, categories, session),
        per_day=per_day,
        sentiment={k: moods.get(k, 0) for k in ("negative", "neutral", "positive")},
        sources=[(names.get(i, "?"), n) for i, n in by_source.most_common(top_sources)],
    )


def _count(
    since: datetime, until: datetime, categories: Sequence[str] | None, session: Session
) -> int:
    statement = select(func.count()).where(
        Mention.published_at >= since, Mention.published_at < until
    )
    if categories is not None:
        statement = statement.where(Mention.category.in_(list(categories)))
    return session.scalar(statement.select_from(Mention)) or 0
