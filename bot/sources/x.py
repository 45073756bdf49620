"""X (Twitter): API v2 recent search with an app bearer token; `since_id`, `next_token`.

Recent search reaches back seven days; an older `since_id` is refused with a 400, and the walk
then goes on without it and stops here at the last stored id. Tweets without `created_at`
(default fields) still get their time: it is in the snowflake id.

The demo feed serves recent search bounded by tweet ids and paged by `next_token`, users
expanded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from bot.demo.feeds.formats import Answer, iso, published, user_id
from bot.demo.feeds.paging import size, token, untoken
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import CursorRejected, DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total
from bot.sources.base import SourceConfig, SourceKind, credential

DEFAULT_BASE = "https://api.x.com"
TWITTER_EPOCH_MS = 1288834974657


def snowflake_time(tweet_id: int) -> datetime:
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


class XSource(SourceConfig):
    kind: Literal["x"]
    query: str
    bearer_token: str = credential(required=True)


class X(DescendingWalk[XSource]):
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


# -- the demo feed ----------------------------------------------------------------------


def search_recent(request: FeedRequest) -> Answer:
    shown, query, start, page_size = request.shown, request.query, request.start, request.page_size
    for name in ("since_id", "until_id"):
        if query.get(name) and not query[name].isdigit():
            return 400, _error(name, query[name]), {}
    if query.get("since_id"):
        shown = [m for m in shown if int(m.id) > int(query["since_id"])]
    if query.get("until_id"):
        shown = [m for m in shown if int(m.id) < int(query["until_id"])]
    if query.get("next_token"):
        after = untoken(query["next_token"])
        if after is None:
            return 400, _error("next_token", query["next_token"]), {}
        shown = [m for m in shown if m.seq < after]
    per_page = size(query, "max_results", 10, 100, page_size)
    page = shown[:per_page]
    meta: dict[str, Any] = {"result_count": len(page)}
    if page:
        meta.update(newest_id=page[0].id, oldest_id=page[-1].id)
    if len(shown) > per_page:
        meta["next_token"] = token(page[-1].seq)
    if not page:
        return 200, {"meta": meta}, {}
    users = {m.author: _user(m) for m in page}
    return (
        200,
        {
            "data": [_tweet(m, start) for m in page],
            "includes": {"users": list(users.values())},
            "meta": meta,
        },
        {},
    )


def _tweet(m: WorldMention, start: datetime) -> dict[str, Any]:
    reach = m.reach or 0
    return {
        "id": m.id,
        "text": m.text,
        "author_id": user_id(m.author),
        "created_at": iso(published(m, start)),
        "lang": m.language,
        "conversation_id": m.id,
        "edit_history_tweet_ids": [m.id],
        "public_metrics": {
            "retweet_count": reach // 400,
            "reply_count": reach // 700,
            "like_count": reach // 90,
            "quote_count": reach // 2000,
            "bookmark_count": 0,
            "impression_count": reach * 3,
        },
    }


def _user(m: WorldMention) -> dict[str, Any]:
    return {
        "id": user_id(m.author),
        "name": m.author_name or m.author,
        "username": m.author,
        "public_metrics": {
            "followers_count": m.reach or 0,
            "following_count": 311,
            "tweet_count": 5120,
            "listed_count": 12,
        },
    }


def _error(parameter: str, value: str) -> dict[str, Any]:
    message = f"The `{parameter}` query parameter value [{value}] is not valid"
    return {
        "errors": [{"parameters": {parameter: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }


KIND = SourceKind(
    XSource,
    connect=X,
    feed=(Route("GET", "/2/tweets/search/recent", search_recent),),
)
