"""What tests and benches build their data with: a workspace validated by
`bot.config.load_workspace` exactly as a person's silta.toml is (so every test also exercises
the real validation), from one small default and the named presets each area needs, and
mentions stored through the store's own insert, classified as the classifier would leave them.

One builder rather than one per area, so that a change to the workspace schema is made once
and a preset says in data what its area needs that the default does not have."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Workspace, load_workspace
from bot.models import Mention
from bot.store import mentions, sources
from bot.store.mentions import NewMention

DEFAULT: dict[str, Any] = {
    "company": {"name": "Acme", "terms": ["Acme"]},
    "teams": {
        "support": {"channel": "#support", "categories": ["support_issue"]},
        "product": {"channel": "#product", "categories": ["product_feedback"]},
        "sales": {"channel": "C0SALES01", "categories": ["sales_lead"]},
    },
    "sources": [{"name": "hn", "kind": "hackernews", "query": "acme"}],
}
"""Three teams on the default schedule and one source: what the Slack side needs."""

FOUR_TEAMS: dict[str, Any] = {
    "company": {"name": "Acme", "terms": ["Acme"], "competitors": ["Globex", "Initech"]},
    "teams": {
        "support": {
            "channel": "#support",
            "categories": ["support_issue"],
            "schedule": "0 * * * *",
        },
        "sales": {
            "channel": "#sales",
            "categories": ["sales_lead"],
            "schedule": "0 9 * * 1-5",
            "timezone": "Europe/Helsinki",
        },
        "product": {
            "channel": "#product",
            "categories": ["product_feedback"],
            "schedule": "0 9 * * 1",
            "quiet": "skip",
        },
        "marketing": {
            "channel": "#marketing",
            "categories": ["noise", "hiring_signal"],
            "schedule": "0 9 * * 1",
            "report": True,
        },
    },
    "targets": {
        "ack_minutes": 60,
        "correction_rate": 0.1,
        "share_of_voice": 0.5,
        "leads_per_week": 3,
    },
}
"""Digests: four teams on different schedules and time zones, one that reports, with targets."""

WATCHED: dict[str, Any] = {
    "company": {
        "name": "Acme",
        "terms": ["Acme", "acme.io", "@acmehq"],
        "exclude": ["wile e. coyote"],
    },
    "sources": [],
}
"""Ingestion: a company named several ways with a phrase that excludes a post, and no sources
but the ones a test passes as `sources=[...]`."""


def workspace(*presets: dict[str, Any], **overrides: Any) -> Workspace:
    """The default, then each preset, then the overrides, each replacing whole top-level keys
    (as one section of silta.toml replaces another), validated as silta.toml is."""
    return load_workspace(_merged(presets, overrides), {})


def workspace_file(path: Path, *presets: dict[str, Any], **overrides: Any) -> Path:
    """The same workspace as `workspace(...)`, written as silta.toml at `path`, for what reads
    the file itself: a Runtime, a `silta` subprocess, a bench's server."""
    data = _merged(presets, overrides)
    load_workspace(data, {})
    path.write_text(toml_text(data), encoding="utf-8")
    return path


def _merged(presets: tuple[dict[str, Any], ...], overrides: dict[str, Any]) -> dict[str, Any]:
    data = dict(DEFAULT)
    for preset in presets:
        data.update(preset)
    data.update(overrides)
    return data


def toml_text(data: dict[str, Any]) -> str:
    """TOML for a workspace's data: tables, arrays of tables, and strings, numbers, booleans and
    lists of them (all silta.toml holds; tomllib reads but does not write)."""
    lines: list[str] = []
    _table(lines, (), data)
    return "\n".join(lines).strip() + "\n"


def _table(lines: list[str], path: tuple[str, ...], data: dict[str, Any]) -> None:
    values = {k: v for k, v in data.items() if not isinstance(v, dict) and not _tables(v)}
    if path and (values or not data):
        lines += ["", f"[{'.'.join(map(_key, path))}]"]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in values.items()]
    for key, value in data.items():
        if isinstance(value, dict):
            _table(lines, (*path, key), value)
        elif _tables(value):
            for item in value:
                lines += ["", f"[[{'.'.join(map(_key, (*path, key)))}]]"]
                lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]


def _tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _value(value: Any) -> str:
    """JSON's strings, numbers and arrays are TOML's too; only booleans are spelt alike."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value)


def store(
    session: Session,
    text: str,
    *,
    category: str | None = "support_issue",
    urgency: float | None = 0.1,
    sentiment: float | None = -0.3,
    author: str = "someone",
    published_at: datetime | None = None,
    source: str = "hn",
    **extra: Any,
) -> Mention:
    """A classified mention published now unless told, as the Slack side finds it in the
    store; `extra` is any other field of `NewMention`."""
    row = sources.get_or_create(source, "hackernews", session=session)
    when = published_at or datetime.now(UTC)
    new = NewMention(
        external_id=f"{text[:40]}-{when.timestamp()}-{id(extra)}-{len(text)}",
        text=text,
        published_at=when,
        author=author,
        url="https://news.example/item?id=1",
        **extra,
    )
    (mention_id,) = mentions.insert_many([new], source_id=row.id, session=session)
    mention = session.get(Mention, mention_id)
    assert mention is not None
    mention.category, mention.urgency, mention.sentiment = category, urgency, sentiment
    mention.confidence = 0.8 if category else None
    session.flush()
    return mention


_ids = itertools.count(1)


def add(
    session: Session,
    text: str,
    published_at: datetime,
    *,
    category: str | None = "support_issue",
    source: str = "hn",
    urgency: float = 0.1,
    sentiment: float = 0.0,
    engagement: int = 0,
    reach: int = 0,
    author: str = "someone",
    url: str | None = None,
    title: str | None = None,
    fetched_at: datetime | None = None,
) -> Mention:
    """A classified mention as ingestion stored it for a digest: published at a given time,
    fetched a minute later unless told, with a link of its own."""
    row = sources.get_or_create(source, "hackernews", session=session)
    number = next(_ids)
    new = NewMention(
        external_id=f"m{number}",
        text=text,
        title=title,
        published_at=published_at,
        author=author,
        url=url or f"https://{source}.example/item/{number}",
        engagement=engagement,
        reach=reach,
    )
    (mention_id,) = mentions.insert_many([new], source_id=row.id, session=session)
    mention = session.get(Mention, mention_id)
    assert mention is not None
    mention.category, mention.urgency, mention.sentiment = category, urgency, sentiment
    mention.fetched_at = fetched_at or published_at + timedelta(minutes=1)
    mention.confidence = 0.9 if category else None
    session.flush()
    return mention
