"""YouTube: comment threads on a channel's videos or on one video, newest first.

`commentThreads` has no time filter, only `pageToken`, so the walk stops here once it passes the
last poll's newest comment. An expired page token (400 `invalidPageToken`) restarts the walk from
the newest comment on the next poll; a spent daily quota (403 `quotaExceeded`) waits an hour.

The demo feed serves comment threads, keyed and paged by token, with the errors the connector
expects.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Literal

from bot.demo.feeds.formats import Answer, digest, iso, published
from bot.demo.feeds.paging import size, token, untoken
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.errors import RateLimited
from bot.ingest.base import CursorRejected, DescendingWalk, Key, Page
from bot.ingest.normalize import mention, to_utc
from bot.sources.base import SourceConfig, SourceKind, credential

DEFAULT_BASE = "https://www.googleapis.com/youtube/v3"


class YouTubeSource(SourceConfig):
    kind: Literal["youtube"]
    api_key: str = credential(required=True)
    channel_id: str | None = None
    video_id: str | None = None

    one_of = ("channel_id", "video_id")


class YouTube(DescendingWalk[YouTubeSource]):
    bounded = False

    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        params: dict[str, Any] = {
            "part": "snippet",
            "maxResults": 100,
            "order": "time",
            "textFormat": "html",
            "key": self.source.api_key,
        }
        if self.source.video_id:
            params["videoId"] = self.source.video_id
        else:
            params["allThreadsRelatedToChannelId"] = self.source.channel_id
        if token:
            params["pageToken"] = token
        base = (self.source.base_url or DEFAULT_BASE).rstrip("/")
        response = self.fetcher.request("GET", f"{base}/commentThreads", params=params)
        if response.status in (400, 403):
            self._raise(response.json())
        data = self.fetcher.check(response).json()
        items = [(k, _mention(t)) for t in data.get("items") or [] if (k := _key(t)) is not None]
        return Page(items, data.get("nextPageToken") if items else None)

    def _raise(self, data: dict[str, Any]) -> None:
        error = data.get("error") or {}
        reasons = {e.get("reason") for e in error.get("errors") or []}
        message = error.get("message") or "no message"
        if "quotaExceeded" in reasons or "rateLimitExceeded" in reasons:
            raise RateLimited(
                f"YouTube quota used up: {message}", retry_after=3600.0, source=self.source.name
            )
        if "invalidPageToken" in reasons:
            raise CursorRejected(
                f"YouTube refused the page token: {message}", source=self.source.name
            )
        if "commentsDisabled" in reasons:
            raise self.fetcher.error("comments are disabled on this video")
        raise self.fetcher.error(
            f"YouTube refused the request ({', '.join(sorted(reasons))}): "
            f"{message}; check api_key, channel_id and video_id"
        )


def _key(thread: dict[str, Any]) -> int | None:
    moment = to_utc(_top(thread).get("publishedAt"))
    return int(moment.timestamp()) if moment else None


def _top(thread: dict[str, Any]) -> dict[str, Any]:
    return ((thread.get("snippet") or {}).get("topLevelComment") or {}).get("snippet") or {}


def _mention(thread: dict[str, Any]) -> Any:
    comment = _top(thread)
    video = comment.get("videoId") or (thread.get("snippet") or {}).get("videoId")
    watch = f"https://www.youtube.com/watch?v={video}" if video else None
    return mention(
        external_id=thread["id"],
        published_at=comment.get("publishedAt"),
        html=comment.get("textDisplay") or comment.get("textOriginal") or "",
        url=f"{watch}&lc={thread['id']}" if watch else None,
        author=(comment.get("authorChannelId") or {}).get("value"),
        author_name=comment.get("authorDisplayName"),
        parent_url=watch,
        engagement=comment.get("likeCount"),
        extra={"replies": (thread.get("snippet") or {}).get("totalReplyCount")},
    )


# -- the demo feed ----------------------------------------------------------------------


def comment_threads(request: FeedRequest) -> Answer:
    shown, query, start, page_size = request.shown, request.query, request.start, request.page_size
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


KIND = SourceKind(
    YouTubeSource,
    connect=YouTube,
    feed=(Route("GET", "/commentThreads", comment_threads),),
)
