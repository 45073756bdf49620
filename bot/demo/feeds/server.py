"""One local HTTP server for every API, so the demo's connectors poll over real sockets; the
routes are the source kinds' own (`bot.sources.KINDS`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.demo.feeds.formats import Answer, Query, published
from bot.demo.feeds.routes import FeedRequest
from bot.demo.posts import WorldMention
from bot.sources import KINDS


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
        for kind in KINDS:
            for route in kind.feed:
                if route.matches(method, path):
                    request = FeedRequest(
                        method=method,
                        path=path,
                        query=query,
                        headers=headers,
                        shown=self.visible(kind.name),
                        start=self.start_at,
                        url=self.url,
                        page_size=self.page_size,
                    )
                    return route.answer(request)
        return 404, {"error": f"the demo feeds have nothing at {method} {path}"}, {}
