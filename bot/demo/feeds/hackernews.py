"""Hacker News through Algolia, whose numeric filters and page cap the connector works within."""

from __future__ import annotations

import html
import math
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bot.demo.feeds.formats import Answer, Query, iso, published, seconds
from bot.demo.feeds.paging import numeric, size
from bot.demo.world import WorldMention


def search_by_date(
    shown: list[WorldMention], query: Query, *, start: datetime, page_size: int | None
) -> Answer:
    hits = shown
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
