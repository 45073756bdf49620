"""Mastodon's tag timeline and search, bounded by status ids and paged by Link headers."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bot.demo.feeds.formats import Answer, Query, iso, published, user_id
from bot.demo.feeds.paging import size
from bot.demo.world import WorldMention


def tag_timeline(
    shown: list[WorldMention],
    path: str,
    query: Query,
    *,
    start: datetime,
    url: str,
    page_size: int | None,
) -> Answer:
    shown, limit = _window(shown, query, "since_id", page_size)
    if query.get("min_id"):
        shown = [m for m in shown if int(m.id) > int(query["min_id"])]
    page = shown[:limit]
    headers = {}
    if len(shown) > limit:
        older = urlencode({"limit": limit, "max_id": page[-1].id})
        newer = urlencode({"limit": limit, "min_id": page[0].id})
        headers["Link"] = f'<{url}{path}?{older}>; rel="next", <{url}{path}?{newer}>; rel="prev"'
    return 200, [_status(m, start, url) for m in page], headers


def search(
    shown: list[WorldMention], query: Query, *, start: datetime, url: str, page_size: int | None
) -> Answer:
    shown, limit = _window(shown, query, "min_id", page_size)
    if query.get("type") not in (None, "", "statuses"):
        shown = []
    return (
        200,
        {
            "accounts": [],
            "statuses": [_status(m, start, url) for m in shown[:limit]],
            "hashtags": [],
        },
        {},
    )


def _window(
    shown: list[WorldMention], query: Query, lower: str, page_size: int | None
) -> tuple[list[WorldMention], int]:
    if query.get("max_id"):
        shown = [m for m in shown if int(m.id) < int(query["max_id"])]
    if query.get(lower):
        shown = [m for m in shown if int(m.id) > int(query[lower])]
    return shown, size(query, "limit", 20, 40, page_size)


def _status(m: WorldMention, start: datetime, url: str) -> dict[str, Any]:
    user, _, server = m.author.partition("@")
    reach = m.reach or 0
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in m.text.split("\n\n"))
    return {
        "id": m.id,
        "created_at": iso(published(m, start)),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": m.language,
        "uri": m.url.replace("/@", "/users/", 1).replace(f"/{m.id}", f"/statuses/{m.id}"),
        "url": m.url,
        "replies_count": reach // 200,
        "reblogs_count": reach // 100,
        "favourites_count": reach // 40,
        "content": body,
        "account": {
            "id": user_id(m.author),
            "username": user,
            "acct": m.author,
            "display_name": m.author_name or user,
            "url": f"https://{server or 'mastodon.example'}/@{user}",
            "followers_count": reach,
            "following_count": 180,
            "statuses_count": 2400,
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [{"name": "brightwell", "url": f"{url}/tags/brightwell"}],
        "emojis": [],
    }
