"""YouTube: comment threads on a channel's videos or on one video, newest first.

`commentThreads` has no time filter, only `pageToken`, so the walk stops here once it passes the
last poll's newest comment. An expired page token (400 `invalidPageToken`) restarts the walk from
the newest comment on the next poll; a spent daily quota (403 `quotaExceeded`) waits an hour.
"""

from __future__ import annotations

from typing import Any

from bot.errors import RateLimited
from bot.ingest.base import CursorRejected, DescendingWalk, Key, Page
from bot.ingest.normalize import mention, to_utc

DEFAULT_BASE = "https://www.googleapis.com/youtube/v3"


class YouTube(DescendingWalk):
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


connect = YouTube
