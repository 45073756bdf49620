"""`silta import FILE`: backfills from JSONL or CSV, idempotent, with a summary.

It reads what `silta export` writes (a round trip loses nothing: ids, times, classification)
and also minimal lines with `text` and whatever else is known. Each line is validated on its
own: a bad line is named with its number and reason and skipped, the rest is stored. Records
land under their `source` (or `--source`, or a source called "import"), in batches of one
transaction each, classified as they are stored unless the file already carries a category.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Workspace
from bot.db import session_scope
from bot.errors import CommandError
from bot.ingest.exporter import unguard_formula
from bot.ingest.match import BrandMatcher
from bot.ingest.poller import Classifier, store
from bot.ingest.records import Record, RecordError, read
from bot.models import Mention
from bot.store import sources

DEFAULT_SOURCE = "import"
BATCH = 1000


@dataclass
class ImportSummary:
    lines: int = 0
    new: int = 0
    duplicate: int = 0
    skipped: int = 0
    restored: int = 0
    """New mentions whose classification came from the file."""
    invalid: list[str] = field(default_factory=list)
    seconds: float = 0.0


def detect_format(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise CommandError(f"cannot tell the format of {path.name}; add --format jsonl or --format csv")


def _lines(handle: BinaryIO, advance: Callable[[int], None]) -> Iterator[str]:
    for number, raw in enumerate(handle):
        advance(len(raw))
        line = raw.decode("utf-8", "replace")
        yield line.removeprefix("\ufeff") if number == 0 else line


def rows(handle: BinaryIO, fmt: str, advance: Callable[[int], None]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed row or the parse error) for each non-blank line or CSV record."""
    if fmt == "csv":
        reader = csv.DictReader(_lines(handle, advance))
        for row in reader:
            cleaned = {k: unguard_formula(v) if isinstance(v, str) else v for k, v in row.items()}
            yield reader.line_num, cleaned
        return
    for number, line in enumerate(_lines(handle, advance), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RecordError([f"not valid JSON ({exc.msg} at column {exc.colno})"])


class Importer:
    def __init__(
        self,
        workspace: Workspace,
        *,
        sessions: sessionmaker[Session],
        classifier: Classifier | None = None,
        source: str | None = None,
        match: str = "all",
        batch_size: int = BATCH,
    ) -> None:
        self.workspace = workspace
        self.sessions = sessions
        self.classifier = classifier
        self.source = source
        self.matcher = None if match == "all" else BrandMatcher.for_company(workspace.company)
        self.batch_size = batch_size

    def run(
        self, path: Path, *, fmt: str | None = None, advance: Callable[[int], None] = lambda _: None
    ) -> ImportSummary:
        started = time.perf_counter()
        summary = ImportSummary()
        pending: list[Record] = []
        with path.open("rb") as handle:
            for number, row in rows(handle, detect_format(path, fmt), advance):
                summary.lines += 1
                record = self._record(number, row, summary)
                if record is None:
                    continue
                pending.append(record)
                if len(pending) >= self.batch_size:
                    self._flush(pending, summary)
                    pending = []
        self._flush(pending, summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def _record(self, number: int, row: Any, summary: ImportSummary) -> Record | None:
        try:
            if isinstance(row, RecordError):
                raise row
            record = read(row)
        except RecordError as exc:
            summary.invalid.append(f"line {number}: {exc}")
            return None
        if self.matcher and not self.matcher.matches(record.mention.title, record.mention.text):
            summary.skipped += 1
            return None
        return record

    def _flush(self, records: list[Record], summary: ImportSummary) -> None:
        if not records:
            return
        groups: dict[tuple[str, str | None], list[Record]] = {}
        for record in records:
            name = self.source or record.source or DEFAULT_SOURCE
            groups.setdefault((name, record.kind), []).append(record)
        with session_scope(self.sessions) as session:
            for (name, kind), group in groups.items():
                self._store(name, kind, group, summary, session)

    def _store(
        self,
        name: str,
        kind: str | None,
        group: list[Record],
        summary: ImportSummary,
        session: Session,
    ) -> None:
        source_id = self._source_id(name, kind, session)
        ids, duplicate = store(
            [r.mention for r in group], source_id=source_id, session=session, classifier=None
        )
        by_external = {r.mention.external_id: r for r in group}
        stored = session.execute(
            select(Mention.id, Mention.external_id).where(Mention.id.in_(ids))
        ).all()
        restore = [
            {"id": row_id, **_kept(by_external[external])}
            for row_id, external in stored
            if _kept(by_external[external])
        ]
        if restore:
            session.execute(update(Mention), restore)
        restored = {r["id"] for r in restore if "category" in r}
        unclassified = [i for i in ids if i not in restored]
        if self.classifier is not None and unclassified:
            self.classifier.classify_stored(unclassified, session=session)
        summary.new += len(ids)
        summary.duplicate += duplicate
        summary.restored += len(restored)

    def _source_id(self, name: str, kind: str | None, session: Session) -> int:
        row = sources.get(name, session=session)
        if row is None:
            configured = self.workspace.source(name)
            kind = configured.kind if configured else kind or DEFAULT_SOURCE
            row = sources.get_or_create(name, kind, session=session)
        return row.id


def _kept(record: Record) -> dict[str, Any]:
    """What the file says that insertion cannot: the classification and when it was fetched."""
    values = dict(record.classification or {})
    if record.fetched_at is not None:
        values["fetched_at"] = record.fetched_at
    return values
