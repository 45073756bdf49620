"""`silta export`: stored mentions as JSONL or CSV, oldest first, streamed in batches.

CSV cells that a spreadsheet would run as a formula (starting with = + - @) get a leading
apostrophe, the usual guard against CSV injection; `silta import` takes it off again, so a
round trip returns the text exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ingest.records import FIELDS, write
from bot.models import Mention, Source

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("jsonl", "csv")


def guard_formula(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) or value.startswith("'") else value


def unguard_formula(value: str) -> str:
    if value.startswith("'") and (value[1:].startswith(FORMULA_START) or value[1:2] == "'"):
        return value[1:]
    return value


def stored(
    *, session: Session, since: datetime | None = None, source: str | None = None
) -> Iterator[Mention]:
    statement = select(Mention).order_by(Mention.published_at, Mention.id)
    if since is not None:
        statement = statement.where(Mention.published_at >= since)
    if source is not None:
        statement = statement.where(
            Mention.source_id.in_(select(Source.id).where(Source.name == source))
        )
    yield from session.scalars(statement.execution_options(yield_per=1000))


def export(
    out: TextIO,
    *,
    fmt: str,
    session: Session,
    since: datetime | None = None,
    source: str | None = None,
) -> int:
    """Write the mentions to `out`; returns how many."""
    count = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(FIELDS)
    for mention in stored(session=session, since=since, source=source):
        record = write(mention)
        if writer is not None:
            writer.writerow([_cell(record[name]) for name in FIELDS])
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return guard_formula(value)
    return str(value)
