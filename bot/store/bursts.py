"""Bursts: how many mentions said the same thing recently, for the urgency spike."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Classification, Mention


def get_all_by_content_hash(
    hashes: Collection[str], *, since: datetime, until: datetime, session: Session
) -> list[tuple[int, str, datetime]]:
    """(id, content hash, published) of the mentions in [since, until] with one of the hashes."""
    if not hashes:
        return []
    statement = select(Mention.id, Mention.content_hash, Mention.published_at).where(
        Mention.content_hash.in_(list(hashes)),
        Mention.published_at >= since,
        Mention.published_at <= until,
    )
    return [(row.id, row.content_hash, row.published_at) for row in session.execute(statement)]


def get_all_alarmed(
    *, since: datetime, until: datetime, session: Session
) -> list[tuple[int, datetime, list[str]]]:
    """(id, published, urgency reasons) of the mentions in [since, until] that some
    classification found urgent for a reason."""
    statement = (
        select(Mention.id, Mention.published_at, Classification.reasons)
        .join(Classification, Classification.mention_id == Mention.id)
        .where(
            Mention.published_at >= since,
            Mention.published_at <= until,
            Classification.urgency > 0,
        )
    )
    return [
        (row.id, row.published_at, list(row.reasons or [])) for row in session.execute(statement)
    ]
