"""GitHub's issue search, bounded by `created:` qualifiers and paged by Link headers."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bot.demo.feeds.formats import (
    Answer,
    Query,
    digest,
    iso,
    parse_iso,
    published,
    seconds,
    user_id,
)
from bot.demo.feeds.paging import numeric, size
from bot.demo.world import WorldMention

_CREATED = re.compile(r"created:(>=|<=|>|<)(\S+)")


def search_issues(
    shown: list[WorldMention],
    path: str,
    query: Query,
    *,
    start: datetime,
    url: str,
    page_size: int | None,
) -> Answer:
    for op, value in _CREATED.findall(query.get("q", "")):
        bound = int(parse_iso(value).timestamp())
        shown = [m for m in shown if numeric(seconds(m, start), f"t{op}{bound}")]
    if query.get("order") == "asc":
        shown = shown[::-1]
    per_page = size(query, "per_page", 30, 100, page_size)
    page = int(query.get("page") or 1)
    last = max(1, math.ceil(len(shown) / per_page))
    chunk = shown[(page - 1) * per_page : page * per_page]
    headers: dict[str, str] = {}
    links = []
    if page < last:
        links.append(f'<{_page_url(url, path, query, page + 1)}>; rel="next"')
        links.append(f'<{_page_url(url, path, query, last)}>; rel="last"')
    if page > 1:
        links.append(f'<{_page_url(url, path, query, page - 1)}>; rel="prev"')
    if links:
        headers["Link"] = ", ".join(links)
    items = [_issue(m, start) for m in chunk]
    return (
        200,
        {"total_count": len(shown), "incomplete_results": False, "items": items},
        headers,
    )


def discussions() -> Answer:
    search = {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": []}
    return 200, {"data": {"search": search}}, {}


def _page_url(url: str, path: str, query: Query, page: int) -> str:
    return f"{url}{path}?{urlencode({**query, 'page': page})}"


def _issue(m: WorldMention, start: datetime) -> dict[str, Any]:
    at = iso(published(m, start), millis=False)
    number = int(m.url.rsplit("/", 1)[1])
    api = f"https://api.github.example/repos/{m.where}"
    return {
        "url": f"{api}/issues/{number}",
        "repository_url": api,
        "html_url": m.url,
        "id": int(m.id.removeprefix("issue:")),
        "node_id": "I_kw" + digest(m.id.encode())[:12],
        "number": number,
        "title": m.title or m.text[:80],
        "user": {"login": m.author, "id": int(user_id(m.author)) % 90_000_000, "type": "User"},
        "labels": [],
        "state": "open",
        "locked": False,
        "comments": m.seq % 5,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "author_association": "NONE",
        "body": m.text,
        "reactions": {"total_count": m.reach or 0},
        "score": 1.0,
    }
