"""The shapes every API module shares, so a time or an id reads the same in all nine APIs."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from bot.demo.posts import WorldMention

Query = dict[str, str]
Answer = tuple[int, Any, dict[str, str]]
"""(status, body, headers): a body that is not bytes or str is sent as JSON."""


def published(mention: WorldMention, start: datetime) -> datetime:
    return start + mention.offset


def seconds(mention: WorldMention, start: datetime) -> int:
    return int(published(mention, start).timestamp())


def iso(moment: datetime, *, millis: bool = True) -> str:
    spec = "milliseconds" if millis else "seconds"
    return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def digest(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def user_id(author: str) -> str:
    return str(int(digest(author.encode())[:12], 16))
