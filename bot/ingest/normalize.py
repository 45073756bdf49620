"""Turning what a source says into one trustworthy shape.

Social text arrives as HTML, with entities, control characters and links of any scheme. What
Silta stores is plain text, times in UTC, lengths that fit the columns on every database, and
only http(s) links, so nothing downstream ever renders or follows something it should not.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.models import utcnow
from bot.store.mentions import NewMention

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption footer h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table td th tr ul".split()
)
_SKIP = frozenset({"script", "style", "template", "head"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
LIMITS = {"external_id": 255, "author": 255, "author_name": 255, "language": 16}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(value: str | None) -> str:
    """Plain text with paragraphs kept as line breaks; markup and entities are gone."""
    if not value:
        return ""
    if "<" in value:
        parser = _TextExtractor()
        parser.feed(value)
        parser.close()
        value = "".join(parser.parts)
    return clean_text(value)


def clean_text(value: str | None, *, entities: bool = True) -> str:
    """Decoded entities, no control characters, single spaces, no blank-line runs.

    `entities=False` is for text that is already plain (an export being imported), where a
    literal "&amp;" is what the person wrote.
    """
    if not value:
        return ""
    if entities:
        value = unescape(value)
    value = _CONTROL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _SPACES.sub(" ", value)
    return _BLANK_LINES.sub("\n", value).strip()


def to_utc(value: Any) -> datetime | None:
    """A UTC datetime from epoch seconds, ISO 8601, RFC 2822 or a struct_time; None if unknown.

    A time without a zone is read as UTC: every API Silta reads documents UTC.
    """
    if value is None or value == "":
        return None
    parsed: datetime | None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float):
        parsed = datetime.fromtimestamp(float(value), UTC)
    elif isinstance(value, time.struct_time):
        parsed = datetime(*value[:6], tzinfo=UTC)
    else:
        parsed = _parse_text_time(str(value).strip())
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_text_time(text: str) -> datetime | None:
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return datetime.fromtimestamp(float(text), UTC)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def safe_url(value: str | None) -> str | None:
    """The link if it is http(s); `javascript:` and friends never reach a Slack message."""
    if not value:
        return None
    value = _CONTROL.sub("", value).strip()
    if not re.match(r"^https?://[^\s/]+", value, re.IGNORECASE) or re.search(r"\s", value):
        return None
    return value


def unwrap_redirect(url: str | None) -> str | None:
    """Google Alerts wrap every article in google.com/url?url=…; keep the article itself."""
    url = safe_url(url)
    if url is None:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if (host == "google.com" or host.endswith(".google.com")) and parts.path == "/url":
        query = parse_qs(parts.query)
        target = next(iter(query.get("url") or query.get("q") or []), None)
        return safe_url(target) or url
    return url


def clip(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return value[:limit] or None


def to_int(value: Any) -> int | None:
    """Counts arrive as ints, floats, numeric strings or nothing at all."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def total(*values: Any) -> int | None:
    """The sum of the counts that are known; None when none is."""
    known = [n for n in (to_int(v) for v in values) if n is not None]
    return sum(known) if known else None


def mention(
    *,
    external_id: Any,
    published_at: Any,
    text: str | None = None,
    html: str | None = None,
    title: str | None = None,
    url: str | None = None,
    author: str | None = None,
    author_name: str | None = None,
    reach: Any = None,
    language: str | None = None,
    parent_url: str | None = None,
    engagement: Any = None,
    extra: Mapping[str, Any] | None = None,
    plain: bool = False,
) -> NewMention:
    """The one way a connector builds a mention, so every source is cleaned the same way.

    `plain=True` takes text, title and names as plain text already (records being imported):
    cleaning them again must not decode what the person literally wrote.
    """
    if plain:
        body, heading = clean_text(text, entities=False), clean_text(title, entities=False)
    else:
        body = html_to_text(html) if html is not None else clean_text(text)
        heading = html_to_text(title)
    return NewMention(
        external_id=clip(str(external_id), LIMITS["external_id"]) or "",
        text=body,
        published_at=to_utc(published_at) or utcnow(),
        url=safe_url(url),
        author=clip(author, LIMITS["author"]),
        author_name=clip(clean_text(author_name, entities=not plain), LIMITS["author_name"]),
        reach=to_int(reach),
        title=heading or None,
        language=clip(language, LIMITS["language"]),
        parent_url=safe_url(parent_url),
        engagement=to_int(engagement),
        extra=dict(extra) if extra else None,
    )
