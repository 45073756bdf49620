"""YouTube's comment threads, keyed and paged by token, with the errors the connector expects."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.demo.feeds.formats import Answer, Query, digest, iso, published
from bot.demo.feeds.paging import size, token, untoken
from bot.demo.world import WorldMention


def comment_threads(
    shown: list[WorldMention], query: Query, *, start: datetime, page_size: int | None
) -> Answer:
    if not query.get("key"):
        return 403, _error("forbidden", "The request is missing a valid API key."), {}
    if query.get("videoId"):
        shown = [m for m in shown if m.where == query["videoId"]]
    if query.get("pageToken"):
        after = untoken(query["pageToken"])
        if after is None:
            return 400, _error("invalidPageToken", "The page token is invalid."), {}
        shown = [m for m in shown if m.seq < after]
    per_page = size(query, "maxResults", 20, 100, page_size)
    page = shown[:per_page]
    as_html = query.get("textFormat") == "html"
    answer: dict[str, Any] = {
        "kind": "youtube#commentThreadListResponse",
        "etag": digest(",".join(m.id for m in page).encode())[:27],
        "pageInfo": {"totalResults": len(page), "resultsPerPage": per_page},
        "items": [_thread(m, start, as_html) for m in page],
    }
    if len(shown) > per_page:
        answer["nextPageToken"] = token(page[-1].seq)
    return 200, answer, {}


def _thread(m: WorldMention, start: datetime, as_html: bool) -> dict[str, Any]:
    at = iso(published(m, start), millis=False)
    display = html.escape(m.text, quote=False).replace("\n", "<br>") if as_html else m.text
    channel = "UC" + digest(m.author.encode())[:22]
    comment = {
        "channelId": "UCbr1ghtw3llHQdemo0000xx",
        "videoId": m.where,
        "textDisplay": display,
        "textOriginal": m.text,
        "authorDisplayName": m.author,
        "authorProfileImageUrl": "https://yt3.example/default.jpg",
        "authorChannelUrl": f"https://www.youtube.com/{m.author}",
        "authorChannelId": {"value": channel},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": m.reach or 0,
        "publishedAt": at,
        "updatedAt": at,
    }
    return {
        "kind": "youtube#commentThread",
        "etag": digest(m.id.encode())[:27],
        "id": m.id,
        "snippet": {
            "channelId": "UCbr1ghtw3llHQdemo0000xx",
            "videoId": m.where,
            "topLevelComment": {
                "kind": "youtube#comment",
                "etag": digest(m.url.encode())[:27],
                "id": m.id,
                "snippet": comment,
            },
            "canReply": True,
            "totalReplyCount": m.seq % 3,
            "isPublic": True,
        },
    }


def _error(reason: str, message: str) -> dict[str, Any]:
    code = 400 if reason == "invalidPageToken" else 403
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "youtube.parameter", "reason": reason}],
        }
    }
