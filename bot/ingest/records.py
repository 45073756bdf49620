"""One flat record shape for everything that crosses Silta's edge as a file or a push: what
`silta export` writes, what `silta import` and the webhook read.

Reading is forgiving about names (Brand24, Mention and Zapier call the text `content`, the time
`date`, the link `link`) and strict about values: every problem is named with its field, so a
file or a push is fixed once, not by trial. A record needs only `text` (or `title`); a missing id
is derived from the link or the text, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.ingest.normalize import mention, to_utc
from bot.models import Mention
from bot.store.mentions import NewMention

FIELDS = (
    "source",
    "kind",
    "external_id",
    "url",
    "author",
    "author_name",
    "reach",
    "title",
    "text",
    "language",
    "published_at",
    "parent_url",
    "engagement",
    "extra",
    "category",
    "confidence",
    "sentiment",
    "urgency",
    "classified_at",
    "content_hash",
    "fetched_at",
)
ALIASES = {
    "content": "text",
    "body": "text",
    "message": "text",
    "date": "published_at",
    "published": "published_at",
    "created_at": "published_at",
    "time": "published_at",
    "timestamp": "published_at",
    "link": "url",
    "permalink": "url",
    "id": "external_id",
    "username": "author",
    "handle": "author",
    "lang": "language",
}
_COUNTS = ("reach", "engagement")
SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_SCORES = ("confidence", "sentiment", "urgency")


class RecordError(ValueError):
    """A record that cannot become a mention; `problems` has one line per field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Record:
    mention: NewMention
    source: str | None = None
    kind: str | None = None
    classification: dict[str, Any] | None = None
    """category, confidence, sentiment, urgency, classified_at: restored as exported."""
    fetched_at: datetime | None = None


def _canonical(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Field names folded to Silta's; a field given under both names keeps the set one."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key).strip().lower().replace(" ", "_")
        name = ALIASES.get(name, name)
        if out.get(name) is None:
            out[name] = None if value == "" else value
    return out


def derived_id(url: str | None, title: str | None, text: str) -> str:
    seed = url or f"{title or ''}\n{text}"
    return "sha1:" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()


def read(raw: Any) -> Record:
    """A validated record, or RecordError naming every problem."""
    if not isinstance(raw, Mapping):
        raise RecordError([f"expected an object with at least `text`, got {type(raw).__name__}"])
    data = _canonical(raw)
    problems: list[str] = []
    text, title = data.get("text"), data.get("title")
    for name in ("text", "title", "url", "author", "author_name", "language", "parent_url"):
        if data.get(name) is not None and not isinstance(data[name], str):
            problems.append(f"{name}: expected text, got {type(data[name]).__name__}")
    if not text and not title:
        problems.append("text: missing; every record needs `text` (or at least a `title`)")
    published = _time(data, "published_at", problems)
    classified = _time(data, "classified_at", problems)
    fetched = _time(data, "fetched_at", problems)
    numbers = {n: _number(data, n, problems, integer=n in _COUNTS) for n in (*_COUNTS, *_SCORES)}
    extra = _extra(data.get("extra"), problems)
    if problems:
        raise RecordError(problems)
    external_id = data.get("external_id")
    item = mention(
        external_id=(
            str(external_id)
            if external_id is not None
            else derived_id(data.get("url"), title, text or "")
        ),
        published_at=published,
        text=text,
        title=title,
        url=data.get("url"),
        author=data.get("author"),
        author_name=data.get("author_name"),
        reach=numbers["reach"],
        language=data.get("language"),
        parent_url=data.get("parent_url"),
        engagement=numbers["engagement"],
        extra=extra,
        plain=True,
    )
    category = data.get("category")
    classification = None
    if category:
        classification = {
            "category": str(category),
            "confidence": numbers["confidence"],
            "sentiment": numbers["sentiment"],
            "urgency": numbers["urgency"],
            "classified_at": classified,
        }
    source = _text(data.get("source"))
    if source is not None and not SOURCE_NAME.match(source):
        raise RecordError([f'source: "{source}" is not a source name (a-z, 0-9, - and _)'])
    return Record(item, source, _text(data.get("kind")), classification, fetched)


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _time(data: dict[str, Any], name: str, problems: list[str]) -> datetime | None:
    value = data.get(name)
    if value is None:
        return None
    moment = to_utc(value) if isinstance(value, str | int | float) else None
    if moment is None:
        problems.append(f'{name}: "{value}" is not a time; use ISO 8601, e.g. 2026-11-20T12:00:00Z')
    return moment


def _number(data: dict[str, Any], name: str, problems: list[str], *, integer: bool) -> Any:
    value = data.get(name)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(f'{name}: "{value}" is not a number')
        return None
    return int(number) if integer else number


def _extra(value: Any, problems: list[str]) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
    problems.append("extra: expected a JSON object")
    return None


def write(mention: Mention) -> dict[str, Any]:
    """The export record of a stored mention: every field, times in ISO 8601 UTC."""
    return {
        "source": mention.source.name,
        "kind": mention.source.kind,
        "external_id": mention.external_id,
        "url": mention.url,
        "author": mention.author,
        "author_name": mention.author_name,
        "reach": mention.reach,
        "title": mention.title,
        "text": mention.text,
        "language": mention.language,
        "published_at": _iso(mention.published_at),
        "parent_url": mention.parent_url,
        "engagement": mention.engagement,
        "extra": mention.extra,
        "category": mention.category,
        "confidence": mention.confidence,
        "sentiment": mention.sentiment,
        "urgency": mention.urgency,
        "classified_at": _iso(mention.classified_at),
        "content_hash": mention.content_hash,
        "fetched_at": _iso(mention.fetched_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
