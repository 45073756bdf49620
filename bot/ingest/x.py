"""X (Twitter): API v2 recent search with an app bearer token; `since_id`, `next_token`.

Recent search reaches back seven days; an older `since_id` is refused with a 400, and the walk
then goes on without it and stops here at the last stored id. Tweets without `created_at`
(default fields) still get their time: it is in the snowflake id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.ingest.base import CursorRejected, DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total

DEFAULT_BASE = "https://api.x.com"
TWITTER_EPOCH_MS = 1288834974657


def snowflake_time(tweet_id: int) -> datetime:
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


class X(DescendingWalk):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        params: dict[str, Any] = {
            "query": self.source.query,
            "max_results": 100,
            "tweet.fields": "created_at,author_id,lang,public_metrics,conversation_id",
            "expansions": "author_id",
            "user.fields": "username,name,public_metrics",
        }
        if since is not None:
            params["since_id"] = since
        if before is not None:
            params["until_id"] = int(before) + 1
        if token:
            params["next_token"] = token
        base = (self.source.base_url or DEFAULT_BASE).rstrip("/")
        response = self.fetcher.request(
            "GET",
            f"{base}/2/tweets/search/recent",
            params=params,
            headers={"Authorization": f"Bearer {self.source.bearer_token}"},
        )
        if response.status == 400:
            self._raise(response.json())
        data = self.fetcher.check(response).json()
        users = {u["id"]: u for u in (data.get("includes") or {}).get("users") or []}
        items = [(int(t["id"]), _mention(t, users)) for t in data.get("data") or []]
        return Page(items, (data.get("meta") or {}).get("next_token") if items else None)

    def _raise(self, data: dict[str, Any]) -> None:
        errors = data.get("errors") or [{}]
        text = "; ".join(str(e.get("message", "")) for e in errors)
        fields = {name for e in errors for name in (e.get("parameters") or {})}
        if fields & {"since_id", "until_id", "next_token", "pagination_token"}:
            raise CursorRejected(
                f"X refused {', '.join(sorted(fields))}: {text}", source=self.source.name
            )
        raise self.fetcher.error(f"X refused the search: {text}; check the query syntax")


def _mention(tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> Any:
    user = users.get(tweet.get("author_id", ""), {})
    metrics = tweet.get("public_metrics") or {}
    handle = user.get("username")
    tweet_id = int(tweet["id"])
    conversation = tweet.get("conversation_id")
    return mention(
        external_id=tweet["id"],
        published_at=tweet.get("created_at") or snowflake_time(tweet_id),
        text=tweet.get("text"),
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        author=handle,
        author_name=user.get("name"),
        reach=(user.get("public_metrics") or {}).get("followers_count"),
        language=tweet.get("lang"),
        parent_url=(
            f"https://x.com/i/web/status/{conversation}"
            if conversation and conversation != tweet["id"]
            else None
        ),
        engagement=total(
            metrics.get("like_count"),
            metrics.get("retweet_count"),
            metrics.get("reply_count"),
            metrics.get("quote_count"),
        ),
    )


connect = X
