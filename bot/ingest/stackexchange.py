"""Stack Exchange: `search/advanced` on one `site`, newest questions first.

The API adds two duties to a client: a `backoff` field in a body means "send nothing for that
many seconds", and `quota_remaining` reaching zero means "nothing more today". Both are obeyed
through the fetcher, so the wait is shared by every later request of the poll.
"""

from __future__ import annotations

from typing import Any

from bot.errors import RateLimited
from bot.ingest.base import CursorRejected, DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total

DEFAULT_BASE = "https://api.stackexchange.com/2.3"
PAGE_SIZE = 100
DAY = 24 * 60 * 60.0


class StackExchange(DescendingWalk):
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


connect = StackExchange
