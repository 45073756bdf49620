"""Bluesky's post search, bounded by time and paged by an opaque cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.demo.feeds.formats import Answer, Query, digest, iso, parse_iso, published
from bot.demo.feeds.paging import size, token, untoken
from bot.demo.world import WorldMention

SESSION = {
    "accessJwt": "demo",
    "refreshJwt": "demo",
    "handle": "demo.bsky.social",
    "did": "did:plc:demo",
}


def search_posts(
    shown: list[WorldMention], query: Query, *, start: datetime, page_size: int | None
) -> Answer:
    if query.get("since"):
        since = parse_iso(query["since"])
        shown = [m for m in shown if published(m, start) >= since]
    if query.get("until"):
        until = parse_iso(query["until"])
        shown = [m for m in shown if published(m, start) < until]
    if query.get("cursor"):
        after = untoken(query["cursor"])
        shown = [] if after is None else [m for m in shown if m.seq < after]
    limit = size(query, "limit", 25, 100, page_size)
    page = shown[:limit]
    answer: dict[str, Any] = {"hitsTotal": len(shown), "posts": [_post(m, start) for m in page]}
    if len(shown) > limit:
        answer["cursor"] = token(page[-1].seq)
    return 200, answer, {}


def _post(m: WorldMention, start: datetime) -> dict[str, Any]:
    at = iso(published(m, start))
    reach = m.reach or 0
    return {
        "uri": m.id,
        "cid": "bafyrei" + digest(m.id.encode())[:40],
        "author": {
            "did": m.id.split("/")[2],
            "handle": m.author,
            "displayName": m.author_name or m.author.split(".")[0],
            "followersCount": reach,
            "labels": [],
            "createdAt": "2023-05-01T10:00:00.000Z",
        },
        "record": {
            "$type": "app.bsky.feed.post",
            "createdAt": at,
            "langs": [m.language],
            "text": m.text,
        },
        "replyCount": reach // 300,
        "repostCount": reach // 150,
        "likeCount": reach // 50,
        "quoteCount": reach // 900,
        "indexedAt": at,
        "labels": [],
    }
