"""X API v2 recent search, bounded by tweet ids and paged by `next_token`, users expanded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.demo.feeds.formats import Answer, Query, iso, published, user_id
from bot.demo.feeds.paging import size, token, untoken
from bot.demo.world import WorldMention


def search_recent(
    shown: list[WorldMention], query: Query, *, start: datetime, page_size: int | None
) -> Answer:
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
