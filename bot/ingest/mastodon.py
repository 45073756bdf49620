"""Mastodon (or any server speaking its API): a tag timeline, or statuses from search v2.

The instance is `base_url`. The tag timeline pages with the `Link` header (its `max_id`) and is
bounded with `since_id`; search pages with `max_id` and is bounded with `min_id`. Ids are
snowflakes, ordered as numbers; other servers' ids (ULIDs, flakes) sort the same way as text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total

DEFAULT_BASE = "https://mastodon.social"
LIMIT = 40


class Mastodon(DescendingWalk):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        base = (self.source.base_url or DEFAULT_BASE).rstrip("/")
        headers = {"Authorization": f"Bearer {self.source.token}"} if self.source.token else {}
        upper = token or before
        params: dict[str, Any] = {"limit": LIMIT}
        if upper is not None:
            params["max_id"] = upper
        if self.source.tag:
            if since is not None:
                params["since_id"] = since
            url = f"{base}/api/v1/timelines/tag/{quote(self.source.tag.lstrip('#'), safe='')}"
            response = self.fetcher.check(
                self.fetcher.request("GET", url, params=params, headers=headers)
            )
            statuses = response.json()
            next_token = _next_max_id(response.headers.get("link"))
        else:
            params.update(q=self.source.query, type="statuses", resolve="false")
            if since is not None:
                params["min_id"] = since
            data = self.fetcher.get_json(f"{base}/api/v2/search", params=params, headers=headers)
            statuses = data.get("statuses") or []
            next_token = statuses[-1]["id"] if len(statuses) >= LIMIT else None
        if not isinstance(statuses, list):
            raise self.fetcher.error("the server did not answer with a list of statuses")
        items = [(str(s["id"]), _mention(s)) for s in statuses if s.get("id")]
        return Page(items, next_token if items else None)


def _next_max_id(link: str | None) -> str | None:
    """The `max_id` of the rel="next" link: where the older page starts."""
    for part in (link or "").split(","):
        if 'rel="next"' in part and "<" in part:
            target = part[part.index("<") + 1 : part.index(">")]
            values = parse_qs(urlsplit(target).query).get("max_id")
            if values:
                return values[0]
    return None


def _mention(status: dict[str, Any]) -> Any:
    account = status.get("account") or {}
    body = status.get("content") or ""
    if status.get("spoiler_text"):
        body = f"<p>{status['spoiler_text']}</p>{body}"
    return mention(
        external_id=status["id"],
        published_at=status.get("created_at"),
        html=body,
        url=status.get("url") or status.get("uri"),
        author=account.get("acct"),
        author_name=account.get("display_name") or account.get("username"),
        reach=account.get("followers_count"),
        language=status.get("language"),
        engagement=total(
            status.get("replies_count"), status.get("reblogs_count"), status.get("favourites_count")
        ),
        extra={"in_reply_to_id": status.get("in_reply_to_id")},
    )


connect = Mastodon
