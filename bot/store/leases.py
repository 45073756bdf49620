"""Named leases with an expiry: leadership on databases without advisory locks (SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import Lease


def renew(name: str, *, holder: str, now: datetime, ttl: timedelta, session: Session) -> bool:
    """Hold or take the lease until `now + ttl`: True when `holder` has it afterwards."""
    taken = session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at < now))
        .values(holder=holder, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0):
        return True
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    created = session.execute(
        insert(Lease)
        .values(name=name, holder=holder, expires_at=now + ttl)
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(Lease.name)
    )
    return created.scalar() is not None


def release(name: str, *, holder: str, session: Session) -> None:
    session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))
