"""Reddit: search, or a subreddit's `new` / `comments` listing, newest first.

Pages are walked with `after`; the lower bound is checked here on `created_utc` rather than
sent as `before=<fullname>`: when that post is deleted Reddit answers an empty listing for
ever, and a poller trusting it would go silent. With `client_id`/`client_secret` the app signs
in app-only (client credentials) and reads oauth.reddit.com; without, it reads the public JSON.
Reddit wants a descriptive User-Agent; `user_agent` overrides Silta's.

The demo feed serves listings paged by fullname, as the connector follows `after` through them,
and signs any app in.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

import httpx

from bot.demo.feeds.formats import Answer, seconds
from bot.demo.feeds.paging import size
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, total
from bot.ingest.tokens import TOKENS
from bot.sources.base import SourceConfig, SourceKind, credential

PUBLIC = "https://www.reddit.com"
OAUTH = "https://oauth.reddit.com"
WEB = "https://www.reddit.com"


class RedditSource(SourceConfig):
    kind: Literal["reddit"]
    query: str | None = None
    subreddit: str | None = None
    listing: Literal["new", "comments", "search"] | None = None
    """`search` when there is a query, else `new`."""
    client_id: str | None = None
    client_secret: str | None = credential()
    user_agent: str | None = None

    one_of = ("query", "subreddit")


class Reddit(DescendingWalk[RedditSource]):
    bounded = False

    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        params: dict[str, Any] = {"limit": 100, "raw_json": 1}
        if token:
            params["after"] = token
        path = self._path(params)
        data = self.fetcher.get_json(f"{self._base()}{path}", params=params, headers=self._auth())
        listing = data.get("data") or {} if isinstance(data, dict) else {}
        children = [c for c in listing.get("children") or [] if c.get("kind") in ("t1", "t3")]
        items = [(int(float(c["data"]["created_utc"])), _mention(c)) for c in children]
        return Page(items, listing.get("after") if items else None)

    def _listing(self) -> str:
        return self.source.listing or ("search" if self.source.query else "new")

    def _path(self, params: dict[str, Any]) -> str:
        suffix = "" if self._oauth() else ".json"
        sub = self.source.subreddit
        listing = self._listing()
        if listing == "search":
            params.update(q=self.source.query or "", sort="new", t="all")
            if sub:
                params["restrict_sr"] = 1
                return f"/r/{sub}/search{suffix}"
            return f"/search{suffix}"
        return f"/r/{sub or 'all'}/{listing}{suffix}"

    def _oauth(self) -> bool:
        return bool(self.source.client_id and self.source.client_secret)

    def _base(self) -> str:
        if self.source.base_url:
            return self.source.base_url.rstrip("/")
        return OAUTH if self._oauth() else PUBLIC

    def _auth(self) -> dict[str, str]:
        headers = {"User-Agent": self.source.user_agent} if self.source.user_agent else {}
        if self._oauth():
            key = ("reddit", self._base(), self.source.client_id or "")
            headers["Authorization"] = f"Bearer {TOKENS.get(key, self._sign_in)}"
        return headers

    def _sign_in(self) -> tuple[str, float]:
        token_base = self.source.base_url.rstrip("/") if self.source.base_url else PUBLIC
        response = self.fetcher.check(
            self.fetcher.request(
                "POST",
                f"{token_base}/api/v1/access_token",
                data={"grant_type": "client_credentials"},
                auth=httpx.BasicAuth(self.source.client_id or "", self.source.client_secret or ""),
                headers={"User-Agent": self.source.user_agent} if self.source.user_agent else {},
            )
        )
        body = response.json()
        if "access_token" not in body:
            raise self.fetcher.error(
                f"Reddit refused the app credentials ({body.get('error', 'no token')}): check "
                "client_id and client_secret (a 'script' or 'web' app's id and secret)"
            )
        return body["access_token"], float(body.get("expires_in", 3600))


def _mention(child: dict[str, Any]) -> Any:
    data = child["data"]
    permalink = f"{WEB}{data['permalink']}" if data.get("permalink") else None
    is_comment = child["kind"] == "t1"
    parent = data.get("link_permalink") or (
        f"{WEB}/comments/{data['link_id'].removeprefix('t3_')}" if data.get("link_id") else None
    )
    return mention(
        external_id=data.get("name") or f"{child['kind']}_{data['id']}",
        published_at=data["created_utc"],
        text=data.get("body") if is_comment else data.get("selftext"),
        title=None if is_comment else data.get("title"),
        url=permalink,
        author=data.get("author"),
        parent_url=parent if is_comment else None,
        engagement=total(data.get("score"), data.get("num_comments")),
        extra={
            "subreddit": data.get("subreddit"),
            "link": None if is_comment else data.get("url"),
            "post_title": data.get("link_title") if is_comment else None,
        },
    )


# -- the demo feed ----------------------------------------------------------------------


TOKEN = {"access_token": "demo", "token_type": "bearer", "expires_in": 86400, "scope": "*"}


def listing(request: FeedRequest) -> Answer:
    shown, path, query, start = request.shown, request.path, request.query, request.start
    page_size = request.page_size
    found = re.match(r"^/r/([^/]+)/", path)
    if found and found.group(1) != "all" and (query.get("restrict_sr") or "search" not in path):
        shown = [m for m in shown if (m.where or "").lower() == found.group(1).lower()]
    if path.removesuffix(".json").endswith("/new"):
        shown = [m for m in shown if m.title]
    elif path.removesuffix(".json").endswith("/comments"):
        shown = [m for m in shown if not m.title]
    limit = size(query, "limit", 25, 100, page_size)
    if query.get("after"):
        names = [m.id for m in shown]
        after = names.index(query["after"]) + 1 if query["after"] in names else len(names)
        shown = shown[after:]
    page, more = shown[:limit], len(shown) > limit
    return (
        200,
        {
            "kind": "Listing",
            "data": {
                "after": page[-1].id if more and page else None,
                "dist": len(page),
                "modhash": "",
                "geo_filter": "",
                "children": [_thing(m, start) for m in page],
                "before": None,
            },
        },
        {},
    )


def _thing(m: WorldMention, start: datetime) -> dict[str, Any]:
    kind, _, short = m.id.partition("_")
    permalink = m.url.removeprefix("https://www.reddit.com")
    data: dict[str, Any] = {
        "id": short,
        "name": m.id,
        "author": m.author,
        "subreddit": m.where,
        "subreddit_name_prefixed": f"r/{m.where}",
        "created_utc": float(seconds(m, start)),
        "permalink": permalink,
        "score": m.reach or 1,
        "ups": m.reach or 1,
    }
    if kind == "t3":
        data.update(
            title=m.title,
            selftext=m.text,
            is_self=True,
            url=m.url,
            num_comments=(m.reach or 1) // 5,
        )
    else:
        post = permalink.split("/comments/")[1].split("/")[0]
        data.update(
            body=m.text,
            link_id=f"t3_{post}",
            parent_id=f"t3_{post}",
            link_title="Staff scheduling software?",
            link_permalink=f"https://www.reddit.com/r/{m.where}/comments/{post}/",
        )
    return {"kind": kind, "data": data}


KIND = SourceKind(
    RedditSource,
    connect=Reddit,
    feed=(
        Route("GET", "/r/", listing, prefix=True),
        Route("GET", "/search", listing),
        Route("GET", "/search.json", listing),
        Route("POST", "/api/v1/access_token", lambda _: (200, TOKEN, {})),
    ),
)
