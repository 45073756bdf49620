"""Running a source: fetch, keep what is about us, store with the cursor, record health.

Each checkpoint of a connector is one transaction: the new mentions, their classification and
the cursor are committed together, so after a crash or restart polling resumes exactly after
what was stored. Mentions received after the last checkpoint of a failed poll are dropped (the
cursor could not vouch for them) and fetched again next time. Health is recorded afterwards in
its own transaction, success or failure, so a failure's rollback never hides the failure.

A failing source never stops the others: `poll_all` catches everything one source raises, a
bug included, turns it into that source's error line, and goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Source as SourceConfig
from bot.config import Workspace
from bot.db import session_scope
from bot.errors import RateLimited, SourceError
from bot.ingest.http import Fetcher
from bot.ingest.match import BrandMatcher
from bot.models import Source as SourceRow
from bot.models import utcnow
from bot.sources import connect, polled
from bot.store import health, mentions, sources
from bot.store.mentions import NewMention

log = logging.getLogger(__name__)


class Classifier(Protocol):
    """What the poller, the webhook and the importer need from `MentionClassifier`."""

    def classify_stored(self, mention_ids: Sequence[int], *, session: Session) -> int: ...


@dataclass
class PollResult:
    source: str
    kind: str
    new: int = 0
    duplicate: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    status: str = "ok"
    """ok, failed, or waiting (rate-limited earlier and not due yet)."""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class Counts:
    new: int = 0
    duplicate: int = 0
    skipped: int = 0


def unique(batch: Iterable[NewMention]) -> list[NewMention]:
    """One mention per external id: a page boundary can repeat an item."""
    seen: dict[str, NewMention] = {}
    for mention in batch:
        seen.setdefault(mention.external_id, mention)
    return list(seen.values())


def store(
    batch: Sequence[NewMention],
    *,
    source_id: int,
    session: Session,
    classifier: Classifier | None,
) -> tuple[list[int], int]:
    """Insert the new ones and classify them in the caller's transaction; (ids, duplicates)."""
    distinct = unique(batch)
    ids = mentions.insert_many(distinct, source_id=source_id, session=session)
    if classifier is not None and ids:
        classifier.classify_stored(ids, session=session)
    return ids, len(batch) - len(ids)


class Poller:
    def __init__(
        self,
        workspace: Workspace,
        *,
        sessions: sessionmaker[Session],
        client: httpx.Client,
        classifier: Classifier | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utcnow,
        max_pages: int | None = None,
    ) -> None:
        self.workspace = workspace
        self.sessions = sessions
        self.client = client
        self.classifier = classifier
        self.sleep = sleep
        self.clock = clock
        self.max_pages = max_pages
        self.matcher = BrandMatcher.for_company(workspace.company)

    def poll_all(self, only: str | None = None) -> list[PollResult]:
        chosen = [s for s in self.workspace.sources if polled(s)]
        if only is not None:
            chosen = [s for s in chosen if s.name == only]
        return [self.poll(source) for source in chosen]

    def poll(self, source: SourceConfig) -> PollResult:
        started = time.perf_counter()
        result = PollResult(source.name, source.kind)
        with session_scope(self.sessions) as session:
            row = sources.get_or_create(source.name, source.kind, session=session)
            source_id, cursor, due = row.id, dict(row.cursor or {}), row.retry_at
        now = self.clock()
        if due is not None and due > now:
            result.status = "waiting"
            result.errors.append(f"rate-limited; next try after {due:%Y-%m-%d %H:%M:%S} UTC")
            return result
        counts = Counts()
        failure: str | None = None
        wait_until: datetime | None = None
        try:
            self._run(source, source_id, cursor, counts)
        except RateLimited as exc:
            failure, wait_until = str(exc), now + timedelta(seconds=exc.retry_after)
        except SourceError as exc:
            failure = str(exc) if exc.source else f"{source.name}: {exc}"
        except Exception as exc:
            log.exception("%s: unexpected error while polling", source.name)
            failure = f"{source.name}: unexpected {type(exc).__name__}: {exc}"
        self._record(source_id, counts, failure, wait_until)
        result.new, result.duplicate, result.skipped = counts.new, counts.duplicate, counts.skipped
        if failure:
            result.status = "failed"
            result.errors.append(failure)
        result.seconds = time.perf_counter() - started
        return result

    def _run(
        self, source: SourceConfig, source_id: int, cursor: dict[str, Any], counts: Counts
    ) -> None:
        fetcher = Fetcher(self.client, source=source.name, timeout=source.timeout, sleep=self.sleep)
        connector = connect(source, fetcher)
        if self.max_pages is not None and hasattr(connector, "max_pages"):
            connector.max_pages = self.max_pages
        state = dict(cursor)
        pending: list[NewMention] = []
        for batch in connector.poll(state):
            for mention in batch.mentions:
                if source.match == "all" or self.matcher.matches(mention.title, mention.text):
                    pending.append(mention)
                else:
                    counts.skipped += 1
            if batch.cursor is not None:
                self._checkpoint(source_id, pending, batch.cursor, counts)
                pending = []

    def _checkpoint(
        self, source_id: int, batch: list[NewMention], cursor: dict[str, Any], counts: Counts
    ) -> None:
        with session_scope(self.sessions) as session:
            ids, duplicate = store(
                batch, source_id=source_id, session=session, classifier=self.classifier
            )
            row = session.get(SourceRow, source_id)
            assert row is not None
            row.cursor = cursor
        counts.new += len(ids)
        counts.duplicate += duplicate

    def _record(
        self, source_id: int, counts: Counts, failure: str | None, wait_until: datetime | None
    ) -> None:
        at = self.clock()
        with session_scope(self.sessions) as session:
            if failure is None:
                health.record_success(source_id, at=at, items=counts.new, session=session)
            else:
                health.record_failure(
                    source_id,
                    at=at,
                    error=failure,
                    items=counts.new,
                    retry_at=wait_until,
                    session=session,
                )
