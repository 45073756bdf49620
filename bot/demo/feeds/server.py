"""One local HTTP server for every API, so the demo's connectors poll over real sockets."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.demo.feeds import (
    bluesky,
    github,
    hackernews,
    mastodon,
    reddit,
    rss,
    stackexchange,
    x,
    youtube,
)
from bot.demo.feeds.formats import Answer, Query, published
from bot.demo.world import WorldMention


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
        return published(mention, self.start_at)

    def visible(self, kind: str) -> list[WorldMention]:
        """The kind's mentions published by now, newest first."""
        now = self.clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        shown = [m for m in self._by_kind.get(kind, []) if self.published(m) <= now]
        return shown[::-1]

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
        if length:  # drained, never read: sign-in calls post credentials the demo accepts
            request.rfile.read(length)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            status, payload, extra = self._route(request.command, parts.path, query, headers)
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

    def _route(self, method: str, path: str, query: Query, headers: dict[str, str]) -> Answer:
        start, url, page_size = self.start_at, self.url, self.page_size
        if method == "POST":
            if path == "/api/v1/access_token":
                return 200, reddit.TOKEN, {}
            if path == "/xrpc/com.atproto.server.createSession":
                return 200, bluesky.SESSION, {}
            if path == "/graphql":
                return github.discussions()
        elif path.startswith("/feeds/"):
            return rss.feed(self.visible("rss"), headers, start=start)
        elif path == "/api/v1/search_by_date":
            shown = self.visible("hackernews")
            return hackernews.search_by_date(shown, query, start=start, page_size=page_size)
        elif path.startswith("/r/") or path in ("/search", "/search.json"):
            shown = self.visible("reddit")
            return reddit.listing(shown, path, query, start=start, page_size=page_size)
        elif path.startswith("/api/v1/timelines/tag/"):
            shown = self.visible("mastodon")
            return mastodon.tag_timeline(
                shown, path, query, start=start, url=url, page_size=page_size
            )
        elif path == "/api/v2/search":
            shown = self.visible("mastodon")
            return mastodon.search(shown, query, start=start, url=url, page_size=page_size)
        elif path == "/xrpc/app.bsky.feed.searchPosts":
            shown = self.visible("bluesky")
            return bluesky.search_posts(shown, query, start=start, page_size=page_size)
        elif path == "/search/advanced":
            shown = self.visible("stackexchange")
            return stackexchange.search_advanced(shown, query, start=start, page_size=page_size)
        elif path == "/search/issues":
            shown = self.visible("github")
            return github.search_issues(
                shown, path, query, start=start, url=url, page_size=page_size
            )
        elif path == "/commentThreads":
            shown = self.visible("youtube")
            return youtube.comment_threads(shown, query, start=start, page_size=page_size)
        elif path == "/2/tweets/search/recent":
            shown = self.visible("x")
            return x.search_recent(shown, query, start=start, page_size=page_size)
        return 404, {"error": f"the demo feeds have nothing at {method} {path}"}, {}
