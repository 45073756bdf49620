"""Stack Exchange's advanced search, bounded by epoch dates and paged by page number."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.demo.feeds.formats import Answer, Query, seconds, user_id
from bot.demo.feeds.paging import size
from bot.demo.world import WorldMention


def search_advanced(
    shown: list[WorldMention], query: Query, *, start: datetime, page_size: int | None
) -> Answer:
    if query.get("fromdate"):
        shown = [m for m in shown if seconds(m, start) >= int(query["fromdate"])]
    if query.get("todate"):
        shown = [m for m in shown if seconds(m, start) <= int(query["todate"])]
    if query.get("order") == "asc":
        shown = shown[::-1]
    per_page = size(query, "pagesize", 30, 100, page_size)
    page = int(query.get("page") or 1)
    chunk = shown[(page - 1) * per_page : page * per_page]
    with_body = "withbody" in query.get("filter", "")
    return (
        200,
        {
            "items": [_question(m, start, with_body=with_body) for m in chunk],
            "has_more": page * per_page < len(shown),
            "quota_max": 10000,
            "quota_remaining": 9876,
        },
        {},
    )


def _question(m: WorldMention, start: datetime, *, with_body: bool) -> dict[str, Any]:
    at = seconds(m, start)
    question: dict[str, Any] = {
        "tags": ["brightwell", "rest", "python"]
        if "python" in m.text.lower()
        else ["brightwell", "api"],
        "owner": {
            "account_id": int(user_id(m.author)) % 10_000_000,
            "reputation": m.reach or 1,
            "user_id": int(user_id(m.author)) % 20_000_000,
            "user_type": "registered",
            "display_name": m.author,
            "link": f"https://{m.where}.example/users/{int(user_id(m.author)) % 20_000_000}",
        },
        "is_answered": False,
        "view_count": 12 + m.seq * 3,
        "answer_count": m.seq % 3,
        "score": m.seq % 4,
        "last_activity_date": at,
        "creation_date": at,
        "question_id": int(m.id),
        "content_license": "CC BY-SA 4.0",
        "link": m.url,
        "title": html.escape(m.title or m.text[:80], quote=True),
    }
    if with_body:
        question["body"] = "".join(
            f"<p>{html.escape(p, quote=False)}</p>" for p in m.text.split("\n\n")
        )
    return question
