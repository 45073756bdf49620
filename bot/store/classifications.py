"""Classifications: each model version's decision about a mention, newest last."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from bot.models import Classification, Mention


def create_many(rows: Sequence[dict[str, Any]], *, session: Session) -> None:
    """Insert one classification per row (keys are `Classification` columns)."""
    if rows:
        session.execute(cast(Table, Classification.__table__).insert(), list(rows))


def get_all(mention_id: int, *, session: Session) -> list[Classification]:
    """A mention's history, oldest first."""
    statement = (
        select(Classification)
        .where(Classification.mention_id == mention_id)
        .order_by(Classification.id)
    )
    return list(session.scalars(statement))


def mention_ids(*, session: Session, since: datetime | None = None) -> list[int]:
    """Mentions to (re)classify, oldest first: all, or those published since a moment."""
    statement = select(Mention.id).order_by(Mention.published_at, Mention.id)
    if since is not None:
        statement = statement.where(Mention.published_at >= since)
    return list(session.scalars(statement))


def get_mentions(ids: Sequence[int], *, session: Session) -> list[Mention]:
    """The mentions with these ids, in the order given; unknown ids are skipped."""
    found = {m.id: m for m in session.scalars(select(Mention).where(Mention.id.in_(list(ids))))}
    return [found[i] for i in ids if i in found]


def latest_reasons(ids: Sequence[int], *, session: Session) -> dict[int, list[str]]:
    """Why each mention is as urgent as it is, in words, from its newest classification."""
    newest = (
        select(func.max(Classification.id))
        .where(Classification.mention_id.in_(list(ids)))
        .group_by(Classification.mention_id)
    )
    statement = select(Classification.mention_id, Classification.reasons).where(
        Classification.id.in_(newest)
    )
    return {mention_id: list(reasons or []) for mention_id, reasons in session.execute(statement)}
