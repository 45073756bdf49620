"""Fake APIs with real semantics over a data set (filters, paging, caps), for the fake server.

Each is a handler: a function of the request that answers like the real API would, so cursor
and paging logic is tested against behaviour, not against canned pages in a fixed order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.sources import Reply, Seen

T0 = 1_780_000_000


def hn_hit(number: int, text: str, at: int, *, story: bool = False) -> dict[str, Any]:
    hit: dict[str, Any] = {
        "objectID": str(number),
        "created_at_i": at,
        "author": f"user{number}",
        "points": 3 if story else None,
        "num_comments": 1 if story else None,
        "story_id": None if story else 1,
        "story_title": None if story else "Ask HN: tools?",
    }
    if story:
        hit.update(title=text, story_text=None, comment_text=None, url="https://example.com/a")
    else:
        hit.update(title=None, comment_text=text, story_text=None)
    return hit


@dataclass
class HackerNewsAPI:
    """`search_by_date` with numericFilters (>=, <=, >, <), page, hitsPerPage and the 1,000 cap."""

    hits: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Reply] = field(default_factory=list)
    cap: int = 1000

    def add(self, *hits: dict[str, Any]) -> None:
        self.hits.extend(hits)

    def __call__(self, seen: Seen) -> Reply:
        if self.faults:
            return self.faults.pop(0)
        query = seen.query
        per_page = int(query.get("hitsPerPage", 20))
        page = int(query.get("page", 0))
        hits = sorted(self.hits, key=lambda h: (-h["created_at_i"], -int(h["objectID"])))
        for clause in filter(None, query.get("numericFilters", "").split(",")):
            hits = [h for h in hits if _holds(h, clause)]
        pages = min(math.ceil(len(hits) / per_page), self.cap // per_page)
        chunk = hits[page * per_page : (page + 1) * per_page] if page < pages else []
        return Reply(
            200,
            {
                "hits": chunk,
                "nbHits": len(hits),
                "page": page,
                "nbPages": pages,
                "hitsPerPage": per_page,
            },
        )


def _holds(hit: dict[str, Any], clause: str) -> bool:
    for op in (">=", "<=", ">", "<", "="):
        if op in clause:
            name, value = clause.split(op)
            left, right = hit[name.strip()], int(value)
            return {
                ">=": left >= right,
                "<=": left <= right,
                ">": left > right,
                "<": left < right,
                "=": left == right,
            }[op]
    raise AssertionError(f"cannot read filter {clause}")
