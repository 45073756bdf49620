"""Source health: what `silta sources` shows and what tells a silent failure from a quiet day.

Recorded after every poll, in a transaction of its own, so a failed poll's rollback never erases
the record of the failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import Workspace
from bot.models import Source
from bot.store import sources


def record_success(source_id: int, *, at: datetime, items: int, session: Session) -> Source:
    source = _get(source_id, session)
    source.last_poll_at = at
    source.last_success_at = at
    source.consecutive_failures = 0
    source.items_last_poll = items
    source.retry_at = None
    return source


def record_failure(
    source_id: int,
    *,
    at: datetime,
    error: str,
    items: int,
    session: Session,
    retry_at: datetime | None = None,
) -> Source:
    source = _get(source_id, session)
    source.last_poll_at = at
    source.last_error_at = at
    source.last_error = error
    source.consecutive_failures = (source.consecutive_failures or 0) + 1
    source.items_last_poll = items
    source.retry_at = retry_at
    return source


def status(source: Source | None, *, now: datetime, configured: bool = True) -> str:
    """One word a person can act on: ok, failing, waiting, new, or unconfigured."""
    if not configured:
        return "unconfigured"
    if source is None or source.last_poll_at is None:
        return "new"
    if source.retry_at is not None and source.retry_at > now:
        return "waiting"
    return "failing" if source.consecutive_failures else "ok"


def _get(source_id: int, session: Session) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise LookupError(f"source {source_id} is not in the database")
    return source


@dataclass(frozen=True)
class SourceHealth:
    """One line of `silta sources` and `/silta sources`."""

    name: str
    kind: str
    status: str
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    """Only while the source is failing: an error it has recovered from is history."""
    failures: int
    items: int
    retry_at: datetime | None


def report(*, workspace: Workspace, session: Session, now: datetime) -> list[SourceHealth]:
    """Every configured source, then any stored one no longer configured."""
    rows = {row.name: row for row in sources.get_all(session=session)}
    names = [s.name for s in workspace.sources]
    names += sorted(set(rows) - set(names))
    found = []
    for name in names:
        configured, row = workspace.source(name), rows.get(name)
        state = status(row, now=now, configured=configured is not None)
        if configured is not None and not configured.enabled:
            state = "disabled"
        found.append(
            SourceHealth(
                name=name,
                kind=configured.kind if configured else (row.kind if row else "?"),
                status=state,
                last_poll_at=row.last_poll_at if row else None,
                last_success_at=row.last_success_at if row else None,
                last_error_at=row.last_error_at if row else None,
                last_error=row.last_error if row and row.consecutive_failures else None,
                failures=row.consecutive_failures if row else 0,
                items=row.items_last_poll if row else 0,
                retry_at=row.retry_at if row else None,
            )
        )
    return found
