"""What every connector promises the poller, and the walk most APIs share.

A connector turns a cursor into a stream of `Batch`es. A batch whose `cursor` is set is a
checkpoint: the poller stores everything received up to it, and that cursor, in one
transaction. A batch without a cursor is held until the next checkpoint, and dropped if the
poll fails before one: the cursor could not say that those items are stored, so storing them
would either be fetched again or, worse, let the cursor skip what lies between.

Most APIs serve newest first and page backwards (HN, Reddit, Mastodon, Bluesky, Stack Exchange,
GitHub, YouTube, X). `DescendingWalk` walks them once for all: down from the newest item to the
last poll's newest (`since`). After each page it can checkpoint "everything in [floor, top] is
stored, and everything up to since": if the walk is cut short (an error, a page budget), the next
poll first fills the gap below `floor` with the API's upper bound, then walks from the top again.
Keys are each API's natural order (a timestamp or an id); comparisons are inclusive so items
sharing a second are never lost, and the (source, external id) dedup drops the repeats.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from bot.errors import SourceError
from bot.ingest.http import Fetcher
from bot.store.mentions import NewMention

log = logging.getLogger(__name__)

Key = int | str
Cursor = dict[str, Any]


class CursorRejected(SourceError):
    """The API refused a bound or page token we sent (expired, too old, deleted anchor)."""


@dataclass(frozen=True)
class Batch:
    mentions: list[NewMention]
    cursor: Cursor | None = None
    """Set on a checkpoint: the cursor to store together with everything received so far."""


class Connector(Protocol):
    def poll(self, cursor: Mapping[str, Any]) -> Iterator[Batch]: ...


class Named(Protocol):
    """What the shared walk needs of a source's config: its name, for the log."""

    @property
    def name(self) -> str: ...


S = TypeVar("S", bound=Named)


def order(key: Key) -> tuple[int, Any]:
    """Ids given as strings sort by length first, so "100" comes after "99"."""
    return (len(key), key) if isinstance(key, str) else (0, key)


@dataclass(frozen=True)
class Page:
    items: Sequence[tuple[Key, NewMention]]
    """Keyed items, as served (newest first)."""
    next: Any = None
    """The token for the next, older page; None on the last page."""


@dataclass
class _Walk:
    since: Key | None
    before: Key | None = None
    top: Key | None = None
    floor: Key | None = None
    complete: bool = False
    seen: list[str] = field(default_factory=list)


class DescendingWalk(ABC, Generic[S]):
    """A newest-first API, bounded below by `since` and, when `bounded`, above by `before`.

    Generic in the kind's config, so that each connector reads its own keys with their types."""

    bounded: ClassVar[bool] = True
    max_pages: int = 20

    def __init__(self, source: S, fetcher: Fetcher) -> None:
        self.source = source
        self.fetcher = fetcher
        self._budget = self.max_pages

    @abstractmethod
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        """One page at most as new as `before` and no older than `since` (None: unbounded)."""

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[Batch]:
        self._budget = self.max_pages
        since = cursor.get("since")
        floor, top = cursor.get("floor"), cursor.get("top")
        if floor is not None and top is not None and self.bounded:
            gap = _Walk(since=since, before=floor, top=top)
            try:
                yield from self._walk(gap)
            except CursorRejected as exc:
                log.warning("%s: %s; walking down from the newest instead", self.source.name, exc)
            else:
                if not gap.complete:
                    return
                since = top
        yield from self._walk(_Walk(since=since))

    def _walk(self, walk: _Walk) -> Iterator[Batch]:
        token: Any = None
        api_since = walk.since
        while self._budget > 0:
            try:
                page = self.fetch(since=api_since, before=walk.before, token=token)
            except CursorRejected:
                if token is not None or api_since is None:
                    raise
                log.warning("%s: since=%s refused; filtering here", self.source.name, walk.since)
                api_since = None
                continue
            self._budget -= 1
            ids = [m.external_id for _, m in page.items]
            if ids and ids == walk.seen:
                raise self.fetcher.error(
                    "the API served the same page twice, so its paging is broken; stored what "
                    "came before it and will resume from there"
                )
            walk.seen = ids
            yield self._step(walk, page)
            if walk.complete:
                return
            token = page.next

    def _step(self, walk: _Walk, page: Page) -> Batch:
        keys = [k for k, _ in page.items]
        kept = [m for k, m in page.items if _within(k, walk.since, walk.before)]
        if keys:
            newest, oldest = max(keys, key=order), min(keys, key=order)
            if walk.top is None or order(newest) > order(walk.top):
                walk.top = newest
            if walk.floor is None or order(oldest) < order(walk.floor):
                walk.floor = oldest
        walk.complete = (
            walk.since is None
            or not keys
            or page.next is None
            or order(min(keys, key=order)) < order(walk.since)
        )
        if walk.complete:
            known = [k for k in (walk.top, walk.since) if k is not None]
            return Batch(kept, {"since": max(known, key=order)} if known else {})
        return Batch(kept, {"since": walk.since, "floor": walk.floor, "top": walk.top})


def _within(key: Key, since: Key | None, before: Key | None) -> bool:
    if since is not None and order(key) < order(since):
        return False
    return before is None or order(key) <= order(before)
