"""Pushed mentions: `POST /ingest/<source>` for Zapier, Brand24 or Mention exports, scripts.

The body is one record, a list of them, or `{"mentions": [...]}`, in the export's shape (only
`text` is required). The sender proves it knows the source's `secret` either by sending it
(`Authorization: Bearer <secret>` or `X-Silta-Secret`) or by signing the body
(`X-Silta-Signature: sha256=<hex HMAC-SHA256 of the body>`). A push is stored whole or not at
all: if any record is invalid, the answer is 400 with every problem, and the sender still has it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Workspace
from bot.db import session_scope
from bot.ingest.match import BrandMatcher
from bot.ingest.poller import Classifier, store
from bot.ingest.records import RecordError, read
from bot.models import utcnow
from bot.sources.webhook import WebhookSource
from bot.store import health, sources

MAX_RECORDS = 1000


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def authorised(secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Headers are lower-cased names. Every comparison is constant-time."""
    given = headers.get("x-silta-secret") or ""
    auth = headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if given and hmac.compare_digest(given.encode(), secret.encode()):
        return True
    signature = headers.get("x-silta-signature") or ""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return bool(signature) and hmac.compare_digest(signature.encode(), expected.encode())


def _records(body: bytes) -> list[Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError([f"the body is not JSON ({exc})"]) from None
    if isinstance(payload, dict) and isinstance(payload.get("mentions"), list):
        return payload["mentions"]
    return payload if isinstance(payload, list) else [payload]


def refusal(
    name: str, body: bytes, headers: Mapping[str, str], *, workspace: Workspace
) -> Answer | None:
    """Why this push is refused before reading it (unknown source, wrong secret), or None."""
    source = workspace.source(name)
    if not isinstance(source, WebhookSource) or not source.enabled:
        return Answer(404, {"error": f'no webhook source named "{name}" in silta.toml'})
    if not source.secret or not authorised(source.secret, body, headers):
        return Answer(401, {"error": "wrong or missing secret; send Authorization: Bearer …"})
    return None


def receive(
    name: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    workspace: Workspace,
    sessions: sessionmaker[Session],
    classifier: Classifier | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Answer:
    """Store a push and answer it; `clock` times the source's health, as polls are timed."""
    refused = refusal(name, body, headers, workspace=workspace)
    if refused is not None:
        return refused
    source = workspace.source(name)
    assert source is not None
    try:
        raw = _records(body)
        if len(raw) > MAX_RECORDS:
            raise RecordError([f"{len(raw)} records in one push; send at most {MAX_RECORDS}"])
        records, problems = [], []
        for index, item in enumerate(raw):
            try:
                records.append(read(item))
            except RecordError as exc:
                problems += [f"record {index}: {p}" for p in exc.problems]
        if problems:
            raise RecordError(problems)
    except RecordError as exc:
        _failed(name, source.kind, f"{name}: rejected a push: {exc}", sessions, clock())
        return Answer(400, {"error": "nothing was stored", "problems": exc.problems})
    matcher = BrandMatcher.for_company(workspace.company)
    kept = [
        r.mention
        for r in records
        if source.match == "all" or matcher.matches(r.mention.title, r.mention.text)
    ]
    with session_scope(sessions) as session:
        row = sources.get_or_create(name, source.kind, session=session)
        ids, duplicate = store(kept, source_id=row.id, session=session, classifier=classifier)
        health.record_success(row.id, at=clock(), items=len(ids), session=session)
    return Answer(
        202,
        {
            "accepted": len(records),
            "new": len(ids),
            "duplicate": duplicate,
            "skipped": len(records) - len(kept),
        },
    )


def _failed(
    name: str, kind: str, error: str, sessions: sessionmaker[Session], at: datetime
) -> None:
    with session_scope(sessions) as session:
        row = sources.get_or_create(name, kind, session=session)
        health.record_failure(row.id, at=at, error=error, items=0, session=session)
