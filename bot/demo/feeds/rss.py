"""RSS 2.0 with conditional GET, so the feed connector's ETag and 304 handling is exercised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from bot.demo.feeds.formats import Answer, digest, published
from bot.demo.world import WorldMention


def feed(shown: list[WorldMention], headers: dict[str, str], *, start: datetime) -> Answer:
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
