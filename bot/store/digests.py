"""Digest claims: one row per (team, kind, period start), inserted before anything is posted.

The unique constraint is the lock: whoever inserts the row sends the digest, and everyone
else sees it taken. A claim that stalls (its sender crashed, or Slack failed) is taken over by
compare-and-set on `claimed_at`, so of two workers that notice it, exactly one wins.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import Digest

CLAIMED, FAILED, UNSENT, SENT, SKIPPED = "claimed", "failed", "unsent", "sent", "skipped"
"""`failed`: Slack may or may not have posted (a 5xx, a timeout); `unsent`: it certainly did
not (it answered with an error, or the connection was refused)."""
DONE = (SENT, SKIPPED)


def claim(
    team: str,
    kind: str,
    start: datetime,
    end: datetime,
    *,
    holder: str,
    now: datetime,
    session: Session,
) -> Digest | None:
    """The new claim, or None when (team, kind, start) is already claimed by anyone."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Digest)
        .values(
            team=team,
            kind=kind,
            period_start=start,
            period_end=end,
            status=CLAIMED,
            claimed_by=holder,
            claimed_at=now,
            attempts=1,
        )
        .on_conflict_do_nothing(index_elements=["team", "kind", "period_start"])
        .returning(Digest.id)
    )
    new_id = session.execute(statement).scalar()
    return None if new_id is None else session.get(Digest, new_id)


def take_over(digest: Digest, *, holder: str, now: datetime, session: Session) -> bool:
    """Claim a stalled row again; False when another worker changed it first."""
    taken = session.execute(
        update(Digest)
        .where(
            Digest.id == digest.id,
            Digest.status == digest.status,
            Digest.claimed_at == digest.claimed_at,
        )
        .values(status=CLAIMED, claimed_by=holder, claimed_at=now, attempts=digest.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(taken, "rowcount", 0))


def latest(team: str, kind: str, *, session: Session) -> Digest | None:
    """The claim that ends last: where the next period begins."""
    statement = (
        select(Digest)
        .where(Digest.team == team, Digest.kind == kind)
        .order_by(Digest.period_end.desc())
        .limit(1)
    )
    return session.scalar(statement)


def ending_at(team: str, kind: str, end: datetime, *, session: Session) -> Digest | None:
    """The claim of the period just before one starting at `end`."""
    statement = select(Digest).where(
        Digest.team == team, Digest.kind == kind, Digest.period_end == end
    )
    return session.scalars(statement.limit(1)).first()


def overlapping(
    team: str, kind: str, start: datetime, end: datetime, *, session: Session
) -> Digest | None:
    """A claim that covers part of [start, end): sending it again would repeat mentions."""
    statement = (
        select(Digest)
        .where(
            Digest.team == team,
            Digest.kind == kind,
            Digest.period_start < end,
            Digest.period_end > start,
        )
        .order_by(Digest.period_start)
        .limit(1)
    )
    return session.scalar(statement)


def unfinished(team: str, kind: str, *, session: Session) -> list[Digest]:
    """Claims not yet sent nor skipped, oldest first."""
    statement = (
        select(Digest)
        .where(Digest.team == team, Digest.kind == kind, Digest.status.not_in(DONE))
        .order_by(Digest.period_start)
    )
    return list(session.scalars(statement))


def last_sent_until(team: str, kind: str, *, session: Session) -> datetime | None:
    """Where the newest posted period ends: the schedule's time, which the message is named
    by (in the demo, virtual time, where `sent_at` is the real clock's)."""
    statement = select(func.max(Digest.period_end)).where(
        Digest.team == team, Digest.kind == kind, Digest.status == SENT
    )
    return session.scalar(statement)


def known_channel(team: str, *, session: Session) -> str | None:
    """The channel id Slack answered with when the team's last message was posted."""
    statement = (
        select(Digest.channel)
        .where(Digest.team == team, Digest.message_ts.is_not(None))
        .order_by(Digest.claimed_at.desc())
        .limit(1)
    )
    return session.scalar(statement)


def get(digest_id: int, *, session: Session) -> Digest | None:
    return session.get(Digest, digest_id)
