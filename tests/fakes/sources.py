"""A fake of the public sources: a real HTTP server on 127.0.0.1, in a thread.

Routes answer scripted replies (one after another, the last one repeating) or call a handler
that plays an API's semantics over a data set, so cursors and paging are tested against real
HTTP. Every request is recorded. Faults are replies too: a delay longer than the client's
timeout, 429 with Retry-After, 5xx, a cut-off body, a huge body.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.ports import free_port

HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive"}


@dataclass
class Reply:
    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Handler = Callable[[Seen], Reply]


def sample_reply(body_path: Path) -> Reply:
    """A recorded response from ../shared/samples: its body and, when recorded, its status and
    headers (hop-by-hop ones dropped, since the body is stored decoded)."""
    meta = body_path.with_name(body_path.name.rsplit(".", 1)[0] + ".http.json")
    status, headers = 200, {}
    if meta.exists():
        recorded = json.loads(meta.read_text())["response"]
        status = recorded["status"]
        headers = {k: v for k, v in recorded["headers"].items() if k.lower() not in HOP_BY_HOP}
    return Reply(status, body_path.read_bytes(), headers)


class FakeSources:
    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Handler | list[Reply]] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                fake._serve(self)

            do_POST = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def add(self, path: str, *replies: Reply, method: str = "GET") -> None:
        """Answer `path` with these replies in turn; the last one repeats."""
        self._routes[(method, path)] = list(replies)

    def handle(self, path: str, handler: Handler, method: str = "GET") -> None:
        self._routes[(method, path)] = handler

    def seen(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        seen = Seen(
            request.command,
            parts.path,
            {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            {k.lower(): v for k, v in request.headers.items()},
            request.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(seen)
            route = self._routes.get((request.command, parts.path))
            if isinstance(route, list):
                reply = route.pop(0) if len(route) > 1 else route[0]
        if route is None:
            reply = Reply(404, {"error": f"no fake for {request.command} {parts.path}"})
        elif not isinstance(route, list):
            reply = route(seen)
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.payload()
        try:
            request.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for name, value in headers.items():
                request.send_header(name, value)
            if "Content-Length" not in reply.headers:
                request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            if request.command != "HEAD":
                request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def fake_sources() -> Iterator[FakeSources]:
    server = FakeSources()
    try:
        yield server
    finally:
        server.close()


def refused_url() -> str:
    """An address on loopback where nothing listens: connecting is refused at once."""
    return f"http://127.0.0.1:{free_port()}"
