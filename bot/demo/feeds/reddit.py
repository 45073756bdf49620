"""Reddit listings, paged by fullname as the connector follows `after` through them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.demo.feeds.formats import Answer, Query, seconds
from bot.demo.feeds.paging import size
from bot.demo.world import WorldMention

TOKEN = {"access_token": "demo", "token_type": "bearer", "expires_in": 86400, "scope": "*"}


def listing(
    shown: list[WorldMention], path: str, query: Query, *, start: datetime, page_size: int | None
) -> Answer:
    found = re.match(r"^/r/([^/]+)/", path)
    if found and found.group(1) != "all" and (query.get("restrict_sr") or "search" not in path):
        shown = [m for m in shown if (m.where or "").lower() == found.group(1).lower()]
    if path.removesuffix(".json").endswith("/new"):
        shown = [m for m in shown if m.title]
    elif path.removesuffix(".json").endswith("/comments"):
        shown = [m for m in shown if not m.title]
    limit = size(query, "limit", 25, 100, page_size)
    if query.get("after"):
        names = [m.id for m in shown]
        after = names.index(query["after"]) + 1 if query["after"] in names else len(names)
        shown = shown[after:]
    page, more = shown[:limit], len(shown) > limit
    return (
        200,
        {
            "kind": "Listing",
            "data": {
                "after": page[-1].id if more and page else None,
                "dist": len(page),
                "modhash": "",
                "geo_filter": "",
                "children": [_thing(m, start) for m in page],
                "before": None,
            },
        },
        {},
    )


def _thing(m: WorldMention, start: datetime) -> dict[str, Any]:
    kind, _, short = m.id.partition("_")
    permalink = m.url.removeprefix("https://www.reddit.com")
    data: dict[str, Any] = {
        "id": short,
        "name": m.id,
        "author": m.author,
        "subreddit": m.where,
        "subreddit_name_prefixed": f"r/{m.where}",
        "created_utc": float(seconds(m, start)),
        "permalink": permalink,
        "score": m.reach or 1,
        "ups": m.reach or 1,
    }
    if kind == "t3":
        data.update(
            title=m.title,
            selftext=m.text,
            is_self=True,
            url=m.url,
            num_comments=(m.reach or 1) // 5,
        )
    else:
        post = permalink.split("/comments/")[1].split("/")[0]
        data.update(
            body=m.text,
            link_id=f"t3_{post}",
            parent_id=f"t3_{post}",
            link_title="Staff scheduling software?",
            link_permalink=f"https://www.reddit.com/r/{m.where}/comments/{post}/",
        )
    return {"kind": kind, "data": data}
