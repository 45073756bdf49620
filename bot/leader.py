"""One leader among N `silta worker` processes, so every scheduled job runs once.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its own: if the
process dies, the server closes the connection and frees the lock, and a follower, which tries
again every few seconds, takes over. The connection asks the server for TCP keepalives (10 s
idle, then 5 s apart, 3 probes), so a leader whose machine vanishes without closing the socket
is also noticed in under a minute. On SQLite, where one file means one machine anyway, a row
in `leases` that expires after three beats (at least 30 s) does the same job.

The leader checks that it still leads at every beat; if the lock's connection breaks it stops
its jobs at once and goes back to following, rather than running alongside a new leader.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from bot import db
from bot.models import utcnow
from bot.store import leases

log = logging.getLogger(__name__)

NAME = "silta-worker"
LOCK_KEY = zlib.crc32(NAME.encode())
LEASE_TTL = timedelta(seconds=30)
"""With a lease of three beats (at least 30 s), a follower takes over within 60 s."""
KEEPALIVES = (
    "SET tcp_keepalives_idle = 10",
    "SET tcp_keepalives_interval = 5",
    "SET tcp_keepalives_count = 3",
)


class Leadership(Protocol):
    def acquire(self) -> bool:
        """Take or keep the lead; True while this process leads."""

    def release(self) -> None: ...


class AdvisoryLock:
    """PostgreSQL: `pg_try_advisory_lock` held on a dedicated, unpooled connection."""

    def __init__(self, url: str, key: int = LOCK_KEY) -> None:
        self.engine: Engine = db.make_engine(url, poolclass=NullPool)
        self.key = key
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        try:
            if self.connection is not None:
                self.connection.execute(text("SELECT 1"))
                return True
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            for statement in KEEPALIVES:
                connection.execute(text(statement))
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar()
        except DBAPIError as exc:
            log.warning("leadership: the database is unreachable (%s)", exc.orig or exc)
            self._drop()
            return False
        if taken:
            self.connection = connection
            return True
        connection.close()
        return False

    def _drop(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except DBAPIError:
                log.debug("leadership: the lock's connection was already gone")
            self.connection = None

    def release(self) -> None:
        """Closing the connection frees the lock: no unlock call that could fail halfway."""
        self._drop()
        self.engine.dispose()


class LeaseLock:
    """Any database: a row in `leases` renewed at every beat, taken over once it expires."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        holder: str,
        *,
        ttl: timedelta = LEASE_TTL,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.holder = holder
        self.ttl = ttl
        self.clock = clock

    def acquire(self) -> bool:
        try:
            with db.session_scope(self.sessions) as session:
                return leases.renew(
                    NAME, holder=self.holder, now=self.clock(), ttl=self.ttl, session=session
                )
        except DBAPIError as exc:
            log.warning("leadership: cannot renew the lease (%s)", exc.orig or exc)
            return False

    def release(self) -> None:
        try:
            with db.session_scope(self.sessions) as session:
                leases.release(NAME, holder=self.holder, session=session)
        except DBAPIError:
            log.warning("leadership: could not release the lease; it expires by itself")


def leadership_for(
    engine: Engine, sessions: sessionmaker[Session], holder: str, *, retry: float
) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine.url.render_as_string(hide_password=False))
    ttl = max(LEASE_TTL, timedelta(seconds=3 * retry))
    return LeaseLock(sessions, holder, ttl=ttl)


def worker_id() -> str:
    """Who holds a lock or a claim: host, process, and a nonce in case the pid is reused."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lead(
    leadership: Leadership,
    start: Callable[[], BaseScheduler],
    *,
    retry: float,
    stop: threading.Event,
    holder: str,
) -> None:
    """Follow until leading, run the jobs while leading, follow again if the lead is lost;
    until `stop` is set."""
    scheduler: BaseScheduler | None = None
    log.info("worker %s: waiting to lead", holder)
    try:
        while not stop.is_set():
            leading = leadership.acquire()
            if leading and scheduler is None:
                scheduler = start()
                scheduler.start()
                log.info("worker %s leads: running %d job(s)", holder, len(scheduler.get_jobs()))
            elif not leading and scheduler is not None:
                log.warning("worker %s lost the lead: stopping its jobs", holder)
                scheduler.shutdown(wait=False)
                scheduler = None
            stop.wait(retry)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        leadership.release()


def run_worker(
    start: Callable[[], BaseScheduler],
    *,
    engine: Engine,
    sessions: sessionmaker[Session],
    retry: float,
    holder: str,
) -> None:
    """`silta worker`: lead (or wait to), until SIGTERM or Ctrl-C; `retry` is the setting
    SILTA_LEADER_RETRY."""
    stop = threading.Event()

    def stopping(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    try:
        lead(
            leadership_for(engine, sessions, holder, retry=retry),
            start,
            retry=retry,
            stop=stop,
            holder=holder,
        )
    except KeyboardInterrupt:
        stop.set()
