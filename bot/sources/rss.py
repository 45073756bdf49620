"""RSS 0.9x/1.0/2.0 and Atom feeds: Google Alerts, Reddit `.rss`, YouTube channels, blogs.

feedparser reads every dialect, but it would also expand entities a hostile feed declares, so
each body is first parsed with defusedxml: a feed declaring entities (the billion-laughs bomb)
or one that is not well-formed XML is refused with a SourceError and nothing from it is stored,
its ETag included, so the next poll fetches it again. Leading whitespace and a byte-order mark
before the XML declaration are common and harmless, and are dropped before parsing.

The conditional GET (ETag / Last-Modified) is the whole cursor: a feed is one document, stored
all at once, and a 304 costs nothing.

The demo feed serves RSS 2.0 with conditional GET, so that the ETag and 304 handling is
exercised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from pydantic import field_validator

from bot.demo.feeds.formats import Answer, digest, published
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.errors import SourceError
from bot.ingest.base import Batch
from bot.ingest.http import Fetcher
from bot.ingest.normalize import mention, to_int, unwrap_redirect
from bot.sources.base import SourceConfig, SourceKind, http_url

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


class RssSource(SourceConfig):
    kind: Literal["rss"]
    url: str
    """The feed; when `base_url` is set, its path is asked of `base_url` instead."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        http_url(value)
        return value


def checked_xml(body: bytes) -> bytes:
    """The body trimmed to its first tag, or a SourceError saying why it is refused."""
    trimmed = body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    try:
        fromstring(trimmed)
    except DefusedXmlException as exc:
        raise SourceError(
            f"the feed declares XML entities or external references ({type(exc).__name__}); "
            "refused it, as an entity bomb would do the same"
        ) from None
    except ParseError as exc:
        raise SourceError(f"the feed is not well-formed XML ({exc}); stored nothing") from None
    return trimmed


def parse(body: bytes) -> list[Any]:
    """feedparser entries of a body that passed `checked_xml`.

    No base URL is given to feedparser: it would resolve relative entry ids ("t3_42tizy" in
    Reddit's feeds) against wherever the feed was fetched from, and a proxy or a new `base_url`
    would then make every stored mention look new.
    """
    parsed = feedparser.parse(checked_xml(body), sanitize_html=False)
    if not parsed.get("version") and not parsed.entries:
        raise SourceError("the document is XML but not an RSS or Atom feed")
    return list(parsed.entries)


def entry_mention(entry: Any, *, feed_url: str) -> Any:
    link = unwrap_redirect(urljoin(feed_url, entry.get("link") or "") or None)
    content = entry.get("content") or []
    html = content[0].get("value") if content else entry.get("summary")
    stats = entry.get("media_statistics") or {}
    return mention(
        external_id=entry.get("id") or link or _digest(entry),
        published_at=entry.get("published_parsed") or entry.get("updated_parsed"),
        html=html or "",
        title=entry.get("title"),
        url=link,
        author=entry.get("author"),
        author_name=(entry.get("author_detail") or {}).get("name"),
        language=entry.get("language"),
        extra={"views": to_int(stats.get("views"))} if stats.get("views") else None,
    )


def _digest(entry: Any) -> str:
    seed = f"{entry.get('title', '')}\n{entry.get('published', '')}\n{entry.get('summary', '')}"
    return "sha1:" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()


class Feed:
    def __init__(self, source: RssSource, fetcher: Fetcher) -> None:
        self.source = source
        self.fetcher = fetcher

    def url(self) -> str:
        """The feed URL, sent to `base_url` instead of its own host when one is set."""
        url = self.source.url
        if not self.source.base_url:
            return url
        parts = urlsplit(url)
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.source.base_url.rstrip("/") + rest

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[Batch]:
        headers = {"Accept": ACCEPT}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("modified"):
            headers["If-Modified-Since"] = cursor["modified"]
        response = self.fetcher.request("GET", self.url(), headers=headers)
        if response.status == 304:
            yield Batch([], dict(cursor))
            return
        self.fetcher.check(response)
        try:
            entries = parse(response.body)
        except SourceError as exc:
            raise self.fetcher.error(str(exc)) from None
        validators = {
            "etag": response.headers.get("etag"),
            "modified": response.headers.get("last-modified"),
        }
        mentions = [entry_mention(e, feed_url=self.source.url) for e in entries]
        yield Batch(mentions, {k: v for k, v in validators.items() if v})


# -- the demo feed ----------------------------------------------------------------------


def feed(request: FeedRequest) -> Answer:
    shown, headers, start = request.shown, request.headers, request.start
    etag = '"' + digest(",".join(m.id for m in shown).encode())[:20] + '"'
    newest = published(shown[0], start) if shown else start - timedelta(days=30)
    modified = format_datetime(newest.astimezone(UTC), usegmt=True)
    validators = {"ETag": etag, "Last-Modified": modified}
    if headers.get("if-none-match") == etag:
        return 304, b"", validators
    items = "".join(_item(m, start) for m in shown)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<channel><title>Alerts: Brightwell</title>"
        "<link>https://alerts.example/feeds/brightwell</link>"
        "<description>New web results for Brightwell</description>"
        f"<lastBuildDate>{modified}</lastBuildDate>{items}</channel></rss>\n"
    )
    return 200, document, {"Content-Type": "application/rss+xml; charset=utf-8", **validators}


def _item(m: WorldMention, start: datetime) -> str:
    pub_date = format_datetime(published(m, start).astimezone(UTC), usegmt=True)
    body = "".join(f"<p>{escape(p)}</p>" for p in m.text.split("\n\n"))
    return (
        f"<item><title>{escape(m.title or m.text[:80])}</title>"
        f"<link>{escape(m.url)}</link>"
        f'<guid isPermaLink="true">{escape(m.id)}</guid>'
        f"<dc:creator>{escape(m.author)}</dc:creator>"
        f"<pubDate>{pub_date}</pubDate>"
        f"<description>{escape(body)}</description></item>"
    )


KIND = SourceKind(RssSource, connect=Feed, feed=(Route("GET", "/feeds/", feed, prefix=True),))
