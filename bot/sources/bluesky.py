"""Bluesky: `app.bsky.feed.searchPosts`, latest first, with `cursor` paging and `since`/`until`.

Search needs a session on most AppViews: with `handle` and `app_password` Silta signs in
(`com.atproto.server.createSession`) and keeps the token for the process, since Bluesky allows
few sign-ins a day. Keys are the post's sort time in milliseconds (the earlier of created and
indexed, which is what `since` filters on).

The demo feed serves the post search, bounded by time and paged by an opaque cursor, and signs
anyone in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from bot.demo.feeds.formats import Answer, digest, iso, parse_iso, published
from bot.demo.feeds.paging import size, token, untoken
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, to_utc, total
from bot.ingest.tokens import TOKENS
from bot.sources.base import SourceConfig, SourceKind, credential

PUBLIC = "https://public.api.bsky.app"
PDS = "https://bsky.social"
SESSION_LIFETIME = 60 * 60.0


class BlueskySource(SourceConfig):
    kind: Literal["bluesky"]
    query: str
    handle: str | None = None
    app_password: str | None = credential()

    @classmethod
    def broken_rules(cls, keys: Mapping[str, Any]) -> list[str]:
        if bool(keys.get("handle")) == bool(keys.get("app_password")):
            return []
        return ['bluesky needs both "handle" and "app_password", or neither']


class Bluesky(DescendingWalk[BlueskySource]):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        params: dict[str, Any] = {"q": self.source.query, "sort": "latest", "limit": 100}
        if token:
            params["cursor"] = token
        if since is not None:
            params["since"] = _iso(int(since))
        if before is not None:
            params["until"] = _iso(int(before) + 1)
        base = self._base()
        data = self.fetcher.get_json(
            f"{base}/xrpc/app.bsky.feed.searchPosts", params=params, headers=self._auth()
        )
        posts = data.get("posts") or []
        items = [(k, _mention(p)) for p in posts if (k := _key(p)) is not None]
        return Page(items, data.get("cursor") if items else None)

    def _base(self) -> str:
        if self.source.base_url:
            return self.source.base_url.rstrip("/")
        return PDS if self.source.handle else PUBLIC

    def _auth(self) -> dict[str, str]:
        if not (self.source.handle and self.source.app_password):
            return {}
        key = ("bluesky", self._base(), self.source.handle)
        return {"Authorization": f"Bearer {TOKENS.get(key, self._sign_in)}"}

    def _sign_in(self) -> tuple[str, float]:
        response = self.fetcher.request(
            "POST",
            f"{self._base()}/xrpc/com.atproto.server.createSession",
            json={"identifier": self.source.handle, "password": self.source.app_password},
        )
        if response.status in (400, 401):
            raise self.fetcher.error(
                f"Bluesky refused the sign-in for {self.source.handle}: create an app password "
                "under Settings → Privacy and security → App passwords"
            )
        body = self.fetcher.check(response).json()
        return body["accessJwt"], SESSION_LIFETIME


def _iso(millis: int) -> str:
    moment = datetime.fromtimestamp(millis / 1000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _key(post: dict[str, Any]) -> int | None:
    times = [to_utc((post.get("record") or {}).get("createdAt")), to_utc(post.get("indexedAt"))]
    known = [t for t in times if t is not None]
    return int(min(known).timestamp() * 1000) if known else None


def _web(uri: str | None, handle: str | None) -> str | None:
    """at://did/app.bsky.feed.post/rkey → https://bsky.app/profile/handle/post/rkey."""
    if not uri or not uri.startswith("at://"):
        return None
    parts = uri[5:].split("/")
    if len(parts) != 3:
        return None
    return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"


def _mention(post: dict[str, Any]) -> Any:
    record = post.get("record") or {}
    author = post.get("author") or {}
    reply = record.get("reply") or {}
    parent_uri = (reply.get("root") or reply.get("parent") or {}).get("uri")
    return mention(
        external_id=post["uri"],
        published_at=record.get("createdAt") or post.get("indexedAt"),
        text=record.get("text"),
        url=_web(post["uri"], author.get("handle")),
        author=author.get("handle"),
        author_name=author.get("displayName"),
        reach=author.get("followersCount"),
        language=(record.get("langs") or [None])[0],
        parent_url=_web(parent_uri, None),
        engagement=total(
            post.get("likeCount"),
            post.get("repostCount"),
            post.get("replyCount"),
            post.get("quoteCount"),
        ),
    )


# -- the demo feed ----------------------------------------------------------------------


SESSION = {
    "accessJwt": "demo",
    "refreshJwt": "demo",
    "handle": "demo.bsky.social",
    "did": "did:plc:demo",
}


def search_posts(request: FeedRequest) -> Answer:
    shown, query, start, page_size = request.shown, request.query, request.start, request.page_size
    if query.get("since"):
        since = parse_iso(query["since"])
        shown = [m for m in shown if published(m, start) >= since]
    if query.get("until"):
        until = parse_iso(query["until"])
        shown = [m for m in shown if published(m, start) < until]
    if query.get("cursor"):
        after = untoken(query["cursor"])
        shown = [] if after is None else [m for m in shown if m.seq < after]
    limit = size(query, "limit", 25, 100, page_size)
    page = shown[:limit]
    answer: dict[str, Any] = {"hitsTotal": len(shown), "posts": [_post(m, start) for m in page]}
    if len(shown) > limit:
        answer["cursor"] = token(page[-1].seq)
    return 200, answer, {}


def _post(m: WorldMention, start: datetime) -> dict[str, Any]:
    at = iso(published(m, start))
    reach = m.reach or 0
    return {
        "uri": m.id,
        "cid": "bafyrei" + digest(m.id.encode())[:40],
        "author": {
            "did": m.id.split("/")[2],
            "handle": m.author,
            "displayName": m.author_name or m.author.split(".")[0],
            "followersCount": reach,
            "labels": [],
            "createdAt": "2023-05-01T10:00:00.000Z",
        },
        "record": {
            "$type": "app.bsky.feed.post",
            "createdAt": at,
            "langs": [m.language],
            "text": m.text,
        },
        "replyCount": reach // 300,
        "repostCount": reach // 150,
        "likeCount": reach // 50,
        "quoteCount": reach // 900,
        "indexedAt": at,
        "labels": [],
    }


KIND = SourceKind(
    BlueskySource,
    connect=Bluesky,
    feed=(
        Route("GET", "/xrpc/app.bsky.feed.searchPosts", search_posts),
        Route("POST", "/xrpc/com.atproto.server.createSession", lambda _: (200, SESSION, {})),
    ),
)
