"""Source health: what `silta sources` shows and what tells a silent failure from a quiet day.

Recorded after every poll, in a transaction of its own, so a failed poll's rollback never erases
the record of the failure.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.models import Source

RETRY_AT = "_retry_at"
"""Cursor key the poller owns: when a rate-limited source may be asked again (ISO 8601)."""


def record_success(source_id: int, *, at: datetime, items: int, session: Session) -> Source:
    source = _get(source_id, session)
    source.last_poll_at = at
    source.last_success_at = at
    source.consecutive_failures = 0
    source.items_last_poll = items
    if RETRY_AT in (source.cursor or {}):
        source.cursor = {k: v for k, v in source.cursor.items() if k != RETRY_AT}
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
    if retry_at is not None:
        source.cursor = {**(source.cursor or {}), RETRY_AT: retry_at.isoformat()}
    return source


def retry_at(source: Source) -> datetime | None:
    raw = (source.cursor or {}).get(RETRY_AT)
    return datetime.fromisoformat(raw) if raw else None


def status(source: Source | None, *, now: datetime, configured: bool = True) -> str:
    """One word a person can act on: ok, failing, waiting, new, or unconfigured."""
    if not configured:
        return "unconfigured"
    if source is None or source.last_poll_at is None:
        return "new"
    waiting_until = retry_at(source)
    if waiting_until is not None and waiting_until > now:
        return "waiting"
    return "failing" if source.consecutive_failures else "ok"


def _get(source_id: int, session: Session) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise LookupError(f"source {source_id} is not in the database")
    return source
