"""Alerts: one row per (mention, person), created once, sent when due, acknowledged once.

Creation ignores a pair that already exists, so two workers, or one worker seeing a mention
twice, never alert a person twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import Alert, Mention

PENDING, SENT, FAILED = "pending", "sent", "failed"


def create_many(rows: Iterable[tuple[int, str, str]], *, due_at: datetime, session: Session) -> int:
    """Insert (mention_id, user_id, reason) rows that do not exist yet; how many were new."""
    values = [
        {"mention_id": m, "user_id": u, "reason": r, "status": PENDING, "due_at": due_at}
        for m, u, r in rows
    ]
    if not values:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Alert)
        .values(values)
        .on_conflict_do_nothing(index_elements=["mention_id", "user_id"])
        .returning(Alert.id)
    )
    return len(session.execute(statement).all())


def due(now: datetime, *, session: Session, limit: int = 100) -> list[Alert]:
    """Pending alerts whose time has come, oldest first; on PostgreSQL, locked so that a
    second worker skips them instead of sending them again."""
    statement = (
        select(Alert)
        .where(Alert.status == PENDING, Alert.due_at <= now)
        .order_by(Alert.due_at, Alert.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list(session.scalars(statement))


def last_sent(user_ids: Iterable[str], *, session: Session) -> dict[str, datetime]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    statement = (
        select(Alert.user_id, func.max(Alert.sent_at))
        .where(Alert.user_id.in_(ids), Alert.sent_at.is_not(None))
        .group_by(Alert.user_id)
    )
    return {user: sent for user, sent in session.execute(statement) if sent is not None}


def last_failure(user_id: str, *, session: Session) -> Alert | None:
    """The person's newest alert, when its last attempt failed: what they should be told."""
    statement = select(Alert).where(Alert.user_id == user_id).order_by(Alert.id.desc()).limit(1)
    newest = session.scalars(statement).first()
    return newest if newest is not None and newest.error else None


def refused_since(since: datetime, *, session: Session, limit: int = 500) -> list[Alert]:
    """Alerts created since `since` whose last attempt Slack refused, newest first."""
    statement = (
        select(Alert)
        .where(Alert.error.is_not(None), Alert.created_at >= since)
        .order_by(Alert.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def recently_about(
    user_ids: Iterable[str], *, since: datetime, session: Session
) -> list[tuple[str, Mention]]:
    """(person, mention) for every alert these people got since `since`."""
    users = sorted(set(user_ids))
    if not users:
        return []
    statement = (
        select(Alert.user_id, Mention)
        .join(Mention, Mention.id == Alert.mention_id)
        .where(Alert.user_id.in_(users), Alert.created_at >= since)
    )
    return [(user, mention) for user, mention in session.execute(statement)]


def for_mention(mention_id: int, *, session: Session) -> list[Alert]:
    return list(
        session.scalars(select(Alert).where(Alert.mention_id == mention_id).order_by(Alert.id))
    )


def acknowledge(mention_id: int, *, user_id: str, at: datetime, session: Session) -> list[Alert]:
    """Mark every alert about the mention as acknowledged by `user_id`, unless someone already
    did; returns all of the mention's alerts so each person's message can be updated."""
    session.execute(
        update(Alert)
        .where(Alert.mention_id == mention_id, Alert.acknowledged_at.is_(None))
        .values(acknowledged_by=user_id, acknowledged_at=at)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return for_mention(mention_id, session=session)
