"""The demo's public sources: one local HTTP server that answers like each API, over the world.

    with FeedServer(load_mentions(), start=monday, clock=virtual_now) as feeds:
        workspace_toml(feeds.url)        # every source's base_url is this server

A mention is published at `start + offset` and served only once `clock()` has reached that
moment, so a poll sees what a real API would have shown at that virtual time. Each endpoint
speaks its API's shape and honours the bounds and paging the connectors send (numeric filters,
since/until ids, cursors, page tokens, Link headers, ETags), ordered as each API orders.

Routes (the paths the connectors in `bot/ingest/` call under `base_url`):

    GET  /feeds/<anything>                        RSS 2.0 (ETag, Last-Modified, 304)
    GET  /api/v1/search_by_date                   Hacker News (Algolia)
    GET  /search.json, /r/<sub>/<listing>.json    Reddit listings (`after` = a fullname)
    POST /api/v1/access_token                     Reddit app-only sign-in
    GET  /api/v1/timelines/tag/<tag>, /api/v2/search   Mastodon
    GET  /xrpc/app.bsky.feed.searchPosts          Bluesky (and createSession)
    GET  /search/advanced                         Stack Exchange
    GET  /search/issues, POST /graphql            GitHub
    GET  /commentThreads                          YouTube Data API
    GET  /2/tweets/search/recent                  X API v2

Standard library only: the demo needs nothing that tests do not already have.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

from bot.demo.world import WorldMention

Query = dict[str, str]
Answer = tuple[int, Any, dict[str, str]]
"""(status, body, headers): a body that is not bytes or str is sent as JSON."""

REDDIT_TOKEN = {"access_token": "demo", "token_type": "bearer", "expires_in": 86400, "scope": "*"}
BLUESKY_SESSION = {
    "accessJwt": "demo",
    "refreshJwt": "demo",
    "handle": "demo.bsky.social",
    "did": "did:plc:demo",
}
_GITHUB_CREATED = re.compile(r"created:(>=|<=|>|<)(\S+)")


def _iso(moment: datetime, *, millis: bool = True) -> str:
    spec = "milliseconds" if millis else "seconds"
    return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def _parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _size(query: Query, name: str, default: int, most: int, cap: int | None) -> int:
    try:
        asked = int(query.get(name) or default)
    except ValueError:
        asked = default
    return max(1, min(asked, most, cap or most))


def _token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def _untoken(token: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return int(text[4:]) if text.startswith("seq:") and text[4:].isdigit() else None


def _hex(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _user_id(author: str) -> str:
    return str(int(_hex(author.encode())[:12], 16))


class FeedServer:
    """A real HTTP server on 127.0.0.1 in a daemon thread, playing every polled API."""

    def __init__(
        self,
        mentions: Iterable[WorldMention],
        *,
        start: datetime,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int | None = None,
    ) -> None:
        """`page_size` caps every page below what the connector asks for (to show paging)."""
        self.start_at = start if start.tzinfo else start.replace(tzinfo=UTC)
        self.clock = clock
        self.page_size = page_size
        self._by_kind: dict[str, list[WorldMention]] = {}
        for mention in sorted(mentions, key=lambda m: (m.kind, m.offset, m.seq)):
            self._by_kind.setdefault(mention.kind, []).append(mention)
        self.requests = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_address[1]}"

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FeedServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="demo-feeds",
                daemon=True,
            )
            self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what is visible -------------------------------------------------------------------

    def published(self, mention: WorldMention) -> datetime:
        return self.start_at + mention.offset

    def visible(self, kind: str) -> list[WorldMention]:
        """The kind's mentions published by now, newest first."""
        now = self.clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        shown = [m for m in self._by_kind.get(kind, []) if self.published(m) <= now]
        return shown[::-1]

    def _seconds(self, mention: WorldMention) -> int:
        return int(self.published(mention).timestamp())

    # -- HTTP ------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                feeds._serve(self)

            do_POST = do_GET
            do_HEAD = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            status, payload, extra = self._route(request.command, parts.path, query, headers, body)
        except Exception as exc:  # a bug here must show as a 500, not a hung poll
            status, payload, extra = 500, {"error": f"{type(exc).__name__}: {exc}"}, {}
        if isinstance(payload, bytes):
            data = payload
        elif isinstance(payload, str):
            data = payload.encode()
        else:
            data = json.dumps(payload).encode()
            extra = {"Content-Type": "application/json; charset=utf-8", **extra}
        try:
            request.send_response(status)
            for name, value in extra.items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            if request.command != "HEAD" and status != 304:
                request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(
        self, method: str, path: str, query: Query, headers: dict[str, str], body: bytes
    ) -> Answer:
        if method == "POST":
            if path == "/api/v1/access_token":
                return 200, REDDIT_TOKEN, {}
            if path == "/xrpc/com.atproto.server.createSession":
                return 200, BLUESKY_SESSION, {}
            if path == "/graphql":
                return self._github_discussions()
        elif path.startswith("/feeds/"):
            return self._rss(path, headers)
        elif path == "/api/v1/search_by_date":
            return self._hackernews(query)
        elif path.startswith("/r/") or path in ("/search", "/search.json"):
            return self._reddit(path, query)
        elif path.startswith("/api/v1/timelines/tag/"):
            return self._mastodon_tag(path, query)
        elif path == "/api/v2/search":
            return self._mastodon_search(query)
        elif path == "/xrpc/app.bsky.feed.searchPosts":
            return self._bluesky(query)
        elif path == "/search/advanced":
            return self._stackexchange(query)
        elif path == "/search/issues":
            return self._github(path, query)
        elif path == "/commentThreads":
            return self._youtube(query)
        elif path == "/2/tweets/search/recent":
            return self._x(query)
        return 404, {"error": f"the demo feeds have nothing at {method} {path}"}, {}

    # -- RSS -------------------------------------------------------------------------------

    def _rss(self, path: str, headers: dict[str, str]) -> Answer:
        shown = self.visible("rss")
        etag = '"' + _hex(",".join(m.id for m in shown).encode())[:20] + '"'
        newest = self.published(shown[0]) if shown else self.start_at - timedelta(days=30)
        modified = format_datetime(newest.astimezone(UTC), usegmt=True)
        validators = {"ETag": etag, "Last-Modified": modified}
        if headers.get("if-none-match") == etag:
            return 304, b"", validators
        items = "".join(self._rss_item(m) for m in shown)
        document = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            "<channel><title>Alerts: Brightwell</title>"
            "<link>https://alerts.example/feeds/brightwell</link>"
            "<description>New web results for Brightwell</description>"
            f"<lastBuildDate>{modified}</lastBuildDate>{items}</channel></rss>\n"
        )
        return 200, document, {"Content-Type": "application/rss+xml; charset=utf-8", **validators}

    def _rss_item(self, m: WorldMention) -> str:
        published = format_datetime(self.published(m).astimezone(UTC), usegmt=True)
        body = "".join(f"<p>{escape(p)}</p>" for p in m.text.split("\n\n"))
        return (
            f"<item><title>{escape(m.title or m.text[:80])}</title>"
            f"<link>{escape(m.url)}</link>"
            f'<guid isPermaLink="true">{escape(m.id)}</guid>'
            f"<dc:creator>{escape(m.author)}</dc:creator>"
            f"<pubDate>{published}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )

    # -- Hacker News -----------------------------------------------------------------------

    def _hackernews(self, query: Query) -> Answer:
        hits = self.visible("hackernews")
        for clause in filter(None, query.get("numericFilters", "").split(",")):
            hits = [m for m in hits if _numeric(self._seconds(m), clause)]
        per_page = _size(query, "hitsPerPage", 20, 1000, self.page_size)
        page = int(query.get("page") or 0)
        pages = min(math.ceil(len(hits) / per_page), 1000 // per_page)
        chunk = hits[page * per_page : (page + 1) * per_page] if page < pages else []
        return (
            200,
            {
                "hits": [self._hn_hit(m) for m in chunk],
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

    def _hn_hit(self, m: WorldMention) -> dict[str, Any]:
        at = self.published(m)
        hit: dict[str, Any] = {
            "objectID": m.id,
            "created_at": _iso(at),
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

    # -- Reddit ----------------------------------------------------------------------------

    def _reddit(self, path: str, query: Query) -> Answer:
        shown = self.visible("reddit")
        found = re.match(r"^/r/([^/]+)/", path)
        if found and found.group(1) != "all" and (query.get("restrict_sr") or "search" not in path):
            shown = [m for m in shown if (m.where or "").lower() == found.group(1).lower()]
        if path.removesuffix(".json").endswith("/new"):
            shown = [m for m in shown if m.title]
        elif path.removesuffix(".json").endswith("/comments"):
            shown = [m for m in shown if not m.title]
        limit = _size(query, "limit", 25, 100, self.page_size)
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
                    "children": [self._reddit_thing(m) for m in page],
                    "before": None,
                },
            },
            {},
        )

    def _reddit_thing(self, m: WorldMention) -> dict[str, Any]:
        kind, _, short = m.id.partition("_")
        permalink = m.url.removeprefix("https://www.reddit.com")
        data: dict[str, Any] = {
            "id": short,
            "name": m.id,
            "author": m.author,
            "subreddit": m.where,
            "subreddit_name_prefixed": f"r/{m.where}",
            "created_utc": float(self._seconds(m)),
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

    # -- Mastodon --------------------------------------------------------------------------

    def _mastodon_window(self, query: Query, lower: str) -> tuple[list[WorldMention], int]:
        shown = self.visible("mastodon")
        if query.get("max_id"):
            shown = [m for m in shown if int(m.id) < int(query["max_id"])]
        if query.get(lower):
            shown = [m for m in shown if int(m.id) > int(query[lower])]
        return shown, _size(query, "limit", 20, 40, self.page_size)

    def _mastodon_tag(self, path: str, query: Query) -> Answer:
        shown, limit = self._mastodon_window(query, "since_id")
        if query.get("min_id"):
            shown = [m for m in shown if int(m.id) > int(query["min_id"])]
        page = shown[:limit]
        headers = {}
        if len(shown) > limit:
            older = urlencode({"limit": limit, "max_id": page[-1].id})
            newer = urlencode({"limit": limit, "min_id": page[0].id})
            headers["Link"] = (
                f'<{self.url}{path}?{older}>; rel="next", <{self.url}{path}?{newer}>; rel="prev"'
            )
        return 200, [self._toot(m) for m in page], headers

    def _mastodon_search(self, query: Query) -> Answer:
        shown, limit = self._mastodon_window(query, "min_id")
        if query.get("type") not in (None, "", "statuses"):
            shown = []
        return (
            200,
            {"accounts": [], "statuses": [self._toot(m) for m in shown[:limit]], "hashtags": []},
            {},
        )

    def _toot(self, m: WorldMention) -> dict[str, Any]:
        user, _, server = m.author.partition("@")
        reach = m.reach or 0
        body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in m.text.split("\n\n"))
        return {
            "id": m.id,
            "created_at": _iso(self.published(m)),
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
                "id": _user_id(m.author),
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
            "tags": [{"name": "brightwell", "url": f"{self.url}/tags/brightwell"}],
            "emojis": [],
        }

    # -- Bluesky ---------------------------------------------------------------------------

    def _bluesky(self, query: Query) -> Answer:
        shown = self.visible("bluesky")
        if query.get("since"):
            since = _parse_iso(query["since"])
            shown = [m for m in shown if self.published(m) >= since]
        if query.get("until"):
            until = _parse_iso(query["until"])
            shown = [m for m in shown if self.published(m) < until]
        if query.get("cursor"):
            after = _untoken(query["cursor"])
            shown = [] if after is None else [m for m in shown if m.seq < after]
        limit = _size(query, "limit", 25, 100, self.page_size)
        page = shown[:limit]
        answer: dict[str, Any] = {"hitsTotal": len(shown), "posts": [self._skeet(m) for m in page]}
        if len(shown) > limit:
            answer["cursor"] = _token(page[-1].seq)
        return 200, answer, {}

    def _skeet(self, m: WorldMention) -> dict[str, Any]:
        at = _iso(self.published(m))
        reach = m.reach or 0
        return {
            "uri": m.id,
            "cid": "bafyrei" + _hex(m.id.encode())[:40],
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

    # -- Stack Exchange --------------------------------------------------------------------

    def _stackexchange(self, query: Query) -> Answer:
        shown = self.visible("stackexchange")
        if query.get("fromdate"):
            shown = [m for m in shown if self._seconds(m) >= int(query["fromdate"])]
        if query.get("todate"):
            shown = [m for m in shown if self._seconds(m) <= int(query["todate"])]
        if query.get("order") == "asc":
            shown = shown[::-1]
        size = _size(query, "pagesize", 30, 100, self.page_size)
        page = int(query.get("page") or 1)
        chunk = shown[(page - 1) * size : page * size]
        return (
            200,
            {
                "items": [
                    self._question(m, with_body="withbody" in query.get("filter", ""))
                    for m in chunk
                ],
                "has_more": page * size < len(shown),
                "quota_max": 10000,
                "quota_remaining": 9876,
            },
            {},
        )

    def _question(self, m: WorldMention, *, with_body: bool) -> dict[str, Any]:
        seconds = self._seconds(m)
        question: dict[str, Any] = {
            "tags": ["brightwell", "rest", "python"]
            if "python" in m.text.lower()
            else ["brightwell", "api"],
            "owner": {
                "account_id": int(_user_id(m.author)) % 10_000_000,
                "reputation": m.reach or 1,
                "user_id": int(_user_id(m.author)) % 20_000_000,
                "user_type": "registered",
                "display_name": m.author,
                "link": f"https://{m.where}.example/users/{int(_user_id(m.author)) % 20_000_000}",
            },
            "is_answered": False,
            "view_count": 12 + m.seq * 3,
            "answer_count": m.seq % 3,
            "score": m.seq % 4,
            "last_activity_date": seconds,
            "creation_date": seconds,
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

    # -- GitHub ----------------------------------------------------------------------------

    def _github(self, path: str, query: Query) -> Answer:
        shown = self.visible("github")
        for op, value in _GITHUB_CREATED.findall(query.get("q", "")):
            bound = int(_parse_iso(value).timestamp())
            shown = [m for m in shown if _numeric(self._seconds(m), f"t{op}{bound}")]
        if query.get("order") == "asc":
            shown = shown[::-1]
        per_page = _size(query, "per_page", 30, 100, self.page_size)
        page = int(query.get("page") or 1)
        last = max(1, math.ceil(len(shown) / per_page))
        chunk = shown[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        links = []
        if page < last:
            links.append(f'<{self._page_url(path, query, page + 1)}>; rel="next"')
            links.append(f'<{self._page_url(path, query, last)}>; rel="last"')
        if page > 1:
            links.append(f'<{self._page_url(path, query, page - 1)}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        items = [self._issue(m) for m in chunk]
        return (
            200,
            {"total_count": len(shown), "incomplete_results": False, "items": items},
            (headers),
        )

    def _page_url(self, path: str, query: Query, page: int) -> str:
        return f"{self.url}{path}?{urlencode({**query, 'page': page})}"

    def _issue(self, m: WorldMention) -> dict[str, Any]:
        at = _iso(self.published(m), millis=False)
        number = int(m.url.rsplit("/", 1)[1])
        api = f"https://api.github.example/repos/{m.where}"
        return {
            "url": f"{api}/issues/{number}",
            "repository_url": api,
            "html_url": m.url,
            "id": int(m.id.removeprefix("issue:")),
            "node_id": "I_kw" + _hex(m.id.encode())[:12],
            "number": number,
            "title": m.title or m.text[:80],
            "user": {"login": m.author, "id": int(_user_id(m.author)) % 90_000_000, "type": "User"},
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

    def _github_discussions(self) -> Answer:
        search = {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": []}
        return 200, {"data": {"search": search}}, {}

    # -- YouTube ---------------------------------------------------------------------------

    def _youtube(self, query: Query) -> Answer:
        if not query.get("key"):
            return 403, _youtube_error("forbidden", "The request is missing a valid API key."), {}
        shown = self.visible("youtube")
        if query.get("videoId"):
            shown = [m for m in shown if m.where == query["videoId"]]
        if query.get("pageToken"):
            after = _untoken(query["pageToken"])
            if after is None:
                return 400, _youtube_error("invalidPageToken", "The page token is invalid."), {}
            shown = [m for m in shown if m.seq < after]
        size = _size(query, "maxResults", 20, 100, self.page_size)
        page = shown[:size]
        answer: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "etag": _hex(",".join(m.id for m in page).encode())[:27],
            "pageInfo": {"totalResults": len(page), "resultsPerPage": size},
            "items": [self._comment_thread(m, query.get("textFormat") == "html") for m in page],
        }
        if len(shown) > size:
            answer["nextPageToken"] = _token(page[-1].seq)
        return 200, answer, {}

    def _comment_thread(self, m: WorldMention, as_html: bool) -> dict[str, Any]:
        at = _iso(self.published(m), millis=False)
        display = html.escape(m.text, quote=False).replace("\n", "<br>") if as_html else m.text
        channel = "UC" + _hex(m.author.encode())[:22]
        comment = {
            "channelId": "UCbr1ghtw3llHQdemo0000xx",
            "videoId": m.where,
            "textDisplay": display,
            "textOriginal": m.text,
            "authorDisplayName": m.author,
            "authorProfileImageUrl": "https://yt3.example/default.jpg",
            "authorChannelUrl": f"https://www.youtube.com/{m.author}",
            "authorChannelId": {"value": channel},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": m.reach or 0,
            "publishedAt": at,
            "updatedAt": at,
        }
        return {
            "kind": "youtube#commentThread",
            "etag": _hex(m.id.encode())[:27],
            "id": m.id,
            "snippet": {
                "channelId": "UCbr1ghtw3llHQdemo0000xx",
                "videoId": m.where,
                "topLevelComment": {
                    "kind": "youtube#comment",
                    "etag": _hex(m.url.encode())[:27],
                    "id": m.id,
                    "snippet": comment,
                },
                "canReply": True,
                "totalReplyCount": m.seq % 3,
                "isPublic": True,
            },
        }

    # -- X ---------------------------------------------------------------------------------

    def _x(self, query: Query) -> Answer:
        shown = self.visible("x")
        for name in ("since_id", "until_id"):
            if query.get(name) and not query[name].isdigit():
                return 400, _x_error(name, query[name]), {}
        if query.get("since_id"):
            shown = [m for m in shown if int(m.id) > int(query["since_id"])]
        if query.get("until_id"):
            shown = [m for m in shown if int(m.id) < int(query["until_id"])]
        if query.get("next_token"):
            after = _untoken(query["next_token"])
            if after is None:
                return 400, _x_error("next_token", query["next_token"]), {}
            shown = [m for m in shown if m.seq < after]
        size = _size(query, "max_results", 10, 100, self.page_size)
        page = shown[:size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0].id, oldest_id=page[-1].id)
        if len(shown) > size:
            meta["next_token"] = _token(page[-1].seq)
        if not page:
            return 200, {"meta": meta}, {}
        users = {m.author: self._x_user(m) for m in page}
        return (
            200,
            {
                "data": [self._tweet(m) for m in page],
                "includes": {"users": list(users.values())},
                "meta": meta,
            },
            {},
        )

    def _tweet(self, m: WorldMention) -> dict[str, Any]:
        reach = m.reach or 0
        return {
            "id": m.id,
            "text": m.text,
            "author_id": _user_id(m.author),
            "created_at": _iso(self.published(m)),
            "lang": m.language,
            "conversation_id": m.id,
            "edit_history_tweet_ids": [m.id],
            "public_metrics": {
                "retweet_count": reach // 400,
                "reply_count": reach // 700,
                "like_count": reach // 90,
                "quote_count": reach // 2000,
                "bookmark_count": 0,
                "impression_count": reach * 3,
            },
        }

    def _x_user(self, m: WorldMention) -> dict[str, Any]:
        return {
            "id": _user_id(m.author),
            "name": m.author_name or m.author,
            "username": m.author,
            "public_metrics": {
                "followers_count": m.reach or 0,
                "following_count": 311,
                "tweet_count": 5120,
                "listed_count": 12,
            },
        }


def _numeric(value: int, clause: str) -> bool:
    """`name>=123` style filters, as Algolia and GitHub's created: qualifier read them."""
    for op in (">=", "<=", ">", "<", "="):
        if op in clause:
            bound = int(clause.split(op, 1)[1])
            return {
                ">=": value >= bound,
                "<=": value <= bound,
                ">": value > bound,
                "<": value < bound,
                "=": value == bound,
            }[op]
    return True


def _youtube_error(reason: str, message: str) -> dict[str, Any]:
    code = 400 if reason == "invalidPageToken" else 403
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "youtube.parameter", "reason": reason}],
        }
    }


def _x_error(parameter: str, value: str) -> dict[str, Any]:
    message = f"The `{parameter}` query parameter value [{value}] is not valid"
    return {
        "errors": [{"parameters": {parameter: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
