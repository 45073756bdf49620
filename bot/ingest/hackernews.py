"""Hacker News through Algolia's `search_by_date`: stories and comments, newest first.

Algolia serves at most 1,000 hits per query (`page * hitsPerPage` stops there). Past that the
walk narrows the window instead of turning pages: `created_at_i<=oldest seen`, page 0 again.
"""

from __future__ import annotations

from typing import Any

from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total

DEFAULT_BASE = "https://hn.algolia.com"
HITS_PER_PAGE = 100
HIT_CAP = 1000
ITEM = "https://news.ycombinator.com/item?id={}"


class HackerNews(DescendingWalk):
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


connect = HackerNews
