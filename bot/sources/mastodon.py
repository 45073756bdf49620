"""Mastodon (or any server speaking its API): a tag timeline, or statuses from search v2.

The instance is `base_url`. The tag timeline pages with the `Link` header (its `max_id`) and is
bounded with `since_id`; search pages with `max_id` and is bounded with `min_id`. Ids are
snowflakes, ordered as numbers; other servers' ids (ULIDs, flakes) sort the same way as text.

The demo feed serves both, bounded by status ids and paged the same ways.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from bot.demo.feeds.formats import Answer, Query, iso, published, user_id
from bot.demo.feeds.paging import size
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total
from bot.sources.base import SourceConfig, SourceKind, credential

DEFAULT_BASE = "https://mastodon.social"
LIMIT = 40


class MastodonSource(SourceConfig):
    kind: Literal["mastodon"]
    tag: str | None = None
    query: str | None = None
    token: str | None = credential()

    one_of = ("tag", "query")
    one_of_note = ' (the instance is "base_url")'


class Mastodon(DescendingWalk[MastodonSource]):
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


# -- the demo feed ----------------------------------------------------------------------


def tag_timeline(request: FeedRequest) -> Answer:
    path, query, start, url = request.path, request.query, request.start, request.url
    shown, limit = _window(request.shown, query, "since_id", request.page_size)
    if query.get("min_id"):
        shown = [m for m in shown if int(m.id) > int(query["min_id"])]
    page = shown[:limit]
    headers = {}
    if len(shown) > limit:
        older = urlencode({"limit": limit, "max_id": page[-1].id})
        newer = urlencode({"limit": limit, "min_id": page[0].id})
        headers["Link"] = f'<{url}{path}?{older}>; rel="next", <{url}{path}?{newer}>; rel="prev"'
    return 200, [_status(m, start, url) for m in page], headers


def search(request: FeedRequest) -> Answer:
    query, start, url = request.query, request.start, request.url
    shown, limit = _window(request.shown, query, "min_id", request.page_size)
    if query.get("type") not in (None, "", "statuses"):
        shown = []
    return (
        200,
        {
            "accounts": [],
            "statuses": [_status(m, start, url) for m in shown[:limit]],
            "hashtags": [],
        },
        {},
    )


def _window(
    shown: list[WorldMention], query: Query, lower: str, page_size: int | None
) -> tuple[list[WorldMention], int]:
    if query.get("max_id"):
        shown = [m for m in shown if int(m.id) < int(query["max_id"])]
    if query.get(lower):
        shown = [m for m in shown if int(m.id) > int(query[lower])]
    return shown, size(query, "limit", 20, 40, page_size)


def _status(m: WorldMention, start: datetime, url: str) -> dict[str, Any]:
    user, _, server = m.author.partition("@")
    reach = m.reach or 0
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in m.text.split("\n\n"))
    return {
        "id": m.id,
        "created_at": iso(published(m, start)),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": m.language,
        "uri": m.url.replace("/@", "/users/", 1).replace(f"/{m.id}", f"/statuses/{m.id}"),
        "url": m.url,
        "replies_count": reach // 200,
        "reblogs_count": reach // 100,
        "favourites_count": reach // 40,
        "content": body,
        "account": {
            "id": user_id(m.author),
            "username": user,
            "acct": m.author,
            "display_name": m.author_name or user,
            "url": f"https://{server or 'mastodon.example'}/@{user}",
            "followers_count": reach,
            "following_count": 180,
            "statuses_count": 2400,
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [{"name": "brightwell", "url": f"{url}/tags/brightwell"}],
        "emojis": [],
    }


KIND = SourceKind(
    MastodonSource,
    connect=Mastodon,
    feed=(
        Route("GET", "/api/v1/timelines/tag/", tag_timeline, prefix=True),
        Route("GET", "/api/v2/search", search),
    ),
)
