"""Personal alert settings: what each person subscribed to, and what they (or an admin, for
everyone) muted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from bot.models import Mute, Subscription


def get_all(user_id: str, *, session: Session) -> list[Subscription]:
    statement = select(Subscription).where(Subscription.user_id == user_id)
    return list(session.scalars(statement.order_by(Subscription.kind, Subscription.value)))


def get_or_create(user_id: str, kind: str, value: str, *, session: Session) -> bool:
    """Whether it was created: False when the person already had it."""
    found = session.scalar(
        select(Subscription).where(
            Subscription.user_id == user_id, Subscription.kind == kind, Subscription.value == value
        )
    )
    if found is not None:
        return False
    session.add(Subscription(user_id=user_id, kind=kind, value=value))
    session.flush()
    return True


def remove(user_id: str, kind: str, value: str, *, session: Session) -> bool:
    result = session.execute(
        delete(Subscription).where(
            Subscription.user_id == user_id, Subscription.kind == kind, Subscription.value == value
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def get_everyone(*, session: Session) -> list[Subscription]:
    """Every subscription, for matching new mentions: there are few, read them all once."""
    return list(session.scalars(select(Subscription).order_by(Subscription.id)))


def mutes_for(user_id: str, *, now: datetime, session: Session) -> list[Mute]:
    """The person's own mutes and everyone's, still in force."""
    statement = select(Mute).where(
        or_(Mute.user_id == user_id, Mute.user_id.is_(None)),
        or_(Mute.until.is_(None), Mute.until > now),
    )
    return list(session.scalars(statement.order_by(Mute.term)))


def active_mutes(*, now: datetime, session: Session) -> list[Mute]:
    statement = select(Mute).where(or_(Mute.until.is_(None), Mute.until > now))
    return list(session.scalars(statement))


def mute(
    term: str, *, user_id: str | None, until: datetime | None, created_by: str, session: Session
) -> Mute:
    """Mute `term` for `user_id` (None: everyone); muting it again replaces the expiry."""
    session.execute(delete(Mute).where(_same(term, user_id)))
    row = Mute(user_id=user_id, term=term, until=until, created_by=created_by)
    session.add(row)
    session.flush()
    return row


def unmute(term: str, *, user_id: str | None, session: Session) -> bool:
    result = session.execute(delete(Mute).where(_same(term, user_id)))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _same(term: str, user_id: str | None) -> ColumnElement[bool]:
    owner = Mute.user_id.is_(None) if user_id is None else Mute.user_id == user_id
    return (Mute.term == term) & owner
