"""Stack Exchange: `search/advanced` on one `site`, newest questions first.

The API adds two duties to a client: a `backoff` field in a body means "send nothing for that
many seconds", and `quota_remaining` reaching zero means "nothing more today". Both are obeyed
through the fetcher, so the wait is shared by every later request of the poll.

The demo feed serves the same search, bounded by epoch dates and paged by page number.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Literal

from bot.demo.feeds.formats import Answer, seconds, user_id
from bot.demo.feeds.paging import size
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.errors import RateLimited
from bot.ingest.base import CursorRejected, DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total
from bot.sources.base import SourceConfig, SourceKind, credential

DEFAULT_BASE = "https://api.stackexchange.com/2.3"
PAGE_SIZE = 100
DAY = 24 * 60 * 60.0


class StackExchangeSource(SourceConfig):
    kind: Literal["stackexchange"]
    query: str
    site: str
    key: str | None = credential()


class StackExchange(DescendingWalk[StackExchangeSource]):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        page = token or 1
        params: dict[str, Any] = {
            "q": self.source.query,
            "site": self.source.site,
            "sort": "creation",
            "order": "desc",
            "page": page,
            "pagesize": PAGE_SIZE,
            "filter": "withbody",
        }
        if since is not None:
            params["fromdate"] = since
        if before is not None:
            params["todate"] = before
        if self.source.key:
            params["key"] = self.source.key
        base = (self.source.base_url or DEFAULT_BASE).rstrip("/")
        response = self.fetcher.request("GET", f"{base}/search/advanced", params=params)
        data = response.json() if response.body else {}
        if "error_id" in data:
            self._raise(data)
        self.fetcher.check(response)
        if data.get("backoff"):
            self.fetcher.defer(float(data["backoff"]))
        items = [(int(q["creation_date"]), _mention(q)) for q in data.get("items") or []]
        if data.get("quota_remaining") == 0 and data.get("has_more"):
            self.fetcher.defer(DAY)
        return Page(items, page + 1 if data.get("has_more") and items else None)

    def _raise(self, data: dict[str, Any]) -> None:
        name, message = data.get("error_name"), data.get("error_message")
        if name == "throttle_violation":
            raise RateLimited(f"throttled: {message}", retry_after=60.0, source=self.source.name)
        if name == "bad_parameter" and any(p in str(message) for p in ("fromdate", "todate")):
            raise CursorRejected(f"refused the date bounds: {message}", source=self.source.name)
        raise self.fetcher.error(f"Stack Exchange said {name}: {message}")


def _mention(question: dict[str, Any]) -> Any:
    owner = question.get("owner") or {}
    return mention(
        external_id=question["question_id"],
        published_at=question["creation_date"],
        html=question.get("body") or "",
        title=question.get("title"),
        url=question.get("link"),
        author=str(owner["user_id"]) if owner.get("user_id") is not None else None,
        author_name=owner.get("display_name"),
        reach=owner.get("reputation"),
        engagement=total(question.get("score"), question.get("answer_count")),
        extra={"tags": question.get("tags")},
    )


# -- the demo feed ----------------------------------------------------------------------


def search_advanced(request: FeedRequest) -> Answer:
    shown, query, start, page_size = request.shown, request.query, request.start, request.page_size
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


KIND = SourceKind(
    StackExchangeSource,
    connect=StackExchange,
    feed=(Route("GET", "/search/advanced", search_advanced),),
)
