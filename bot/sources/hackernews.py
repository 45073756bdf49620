"""Hacker News through Algolia's `search_by_date`: stories and comments, newest first.

Algolia serves at most 1,000 hits per query (`page * hitsPerPage` stops there). Past that the
walk narrows the window instead of turning pages: `created_at_i<=oldest seen`, page 0 again.
The demo feed honours the same numeric filters and page cap.
"""

from __future__ import annotations

import html
import math
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlencode

from bot.demo.feeds.formats import Answer, iso, published, seconds
from bot.demo.feeds.paging import numeric, size
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total
from bot.sources.base import SourceConfig, SourceKind

DEFAULT_BASE = "https://hn.algolia.com"
HITS_PER_PAGE = 100
HIT_CAP = 1000
ITEM = "https://news.ycombinator.com/item?id={}"


class HackerNewsSource(SourceConfig):
    kind: Literal["hackernews"]
    query: str
    tags: str | None = None
    """Algolia's tags filter; stories and comments when unset."""


class HackerNews(DescendingWalk[HackerNewsSource]):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        page, upper = (token or {}).get("page", 0), (token or {}).get("before", before)
        filters = []
        if since is not None:
            filters.append(f"created_at_i>={since}")
        if upper is not None:
            filters.append(f"created_at_i<={upper}")
        params: dict[str, Any] = {
            "query": self.source.query,
            "tags": self.source.tags or "(story,comment)",
            "hitsPerPage": HITS_PER_PAGE,
            "page": page,
        }
        if filters:
            params["numericFilters"] = ",".join(filters)
        base = (self.source.base_url or DEFAULT_BASE).rstrip("/")
        data = self.fetcher.get_json(f"{base}/api/v1/search_by_date", params=params)
        hits = data.get("hits") or []
        items = [(int(h["created_at_i"]), _mention(h)) for h in hits if "created_at_i" in h]
        return Page(items, _next(data, page, upper, items))


def _next(data: dict[str, Any], page: int, upper: Key | None, items: list[Any]) -> Any:
    if not items:
        return None
    per_page = int(data.get("hitsPerPage") or HITS_PER_PAGE)
    reachable = (page + 1) * per_page
    if page + 1 < int(data.get("nbPages") or 0) and reachable < HIT_CAP:
        return {"page": page + 1, "before": upper}
    if int(data.get("nbHits") or 0) > reachable:
        return {"page": 0, "before": min(key for key, _ in items)}
    return None


def _mention(hit: dict[str, Any]) -> Any:
    object_id = str(hit["objectID"])
    story_id = hit.get("story_id")
    is_comment = hit.get("comment_text") is not None
    return mention(
        external_id=object_id,
        published_at=hit["created_at_i"],
        html=hit.get("comment_text") or hit.get("story_text") or "",
        title=None if is_comment else hit.get("title"),
        url=ITEM.format(object_id),
        author=hit.get("author"),
        parent_url=ITEM.format(story_id) if is_comment and story_id else None,
        engagement=total(hit.get("points"), hit.get("num_comments")),
        extra={
            "link": hit.get("url") or hit.get("story_url"),
            "story_title": hit.get("story_title") if is_comment else None,
        },
    )


# -- the demo feed ----------------------------------------------------------------------


def search_by_date(request: FeedRequest) -> Answer:
    query, start, page_size = request.query, request.start, request.page_size
    hits = request.shown
    for clause in filter(None, query.get("numericFilters", "").split(",")):
        hits = [m for m in hits if numeric(seconds(m, start), clause)]
    per_page = size(query, "hitsPerPage", 20, 1000, page_size)
    page = int(query.get("page") or 0)
    pages = min(math.ceil(len(hits) / per_page), 1000 // per_page)
    chunk = hits[page * per_page : (page + 1) * per_page] if page < pages else []
    return (
        200,
        {
            "hits": [_hit(m, start) for m in chunk],
            "nbHits": len(hits),
            "page": page,
            "nbPages": pages,
            "hitsPerPage": per_page,
            "exhaustiveNbHits": True,
            "query": query.get("query", ""),
            "params": urlencode(query),
            "processingTimeMS": 1,
        },
        {},
    )


def _hit(m: WorldMention, start: datetime) -> dict[str, Any]:
    at = published(m, start)
    hit: dict[str, Any] = {
        "objectID": m.id,
        "created_at": iso(at),
        "created_at_i": int(at.timestamp()),
        "author": m.author,
        "_tags": ["story" if m.title else "comment", f"author_{m.author}", f"story_{m.id}"],
    }
    paragraphs = "<p>".join(html.escape(p, quote=False) for p in m.text.split("\n\n"))
    if m.title:
        hit.update(
            title=m.title,
            url=None,
            story_text=paragraphs,
            comment_text=None,
            points=m.reach or 1,
            num_comments=(m.reach or 1) // 4,
        )
    else:
        story = str(int(m.id) - 11)
        hit.update(
            title=None,
            comment_text=paragraphs,
            story_id=int(story),
            story_title=m.where or "Ask HN: What do you use for staff scheduling?",
            story_url=None,
            parent_id=int(story),
            points=None,
            num_comments=None,
        )
    return hit


KIND = SourceKind(
    HackerNewsSource,
    connect=HackerNews,
    feed=(Route("GET", "/api/v1/search_by_date", search_by_date),),
)
