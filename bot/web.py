"""The WSGI app behind `silta serve`: `/healthz`, the webhook intake, and mounted apps.

A router small enough to read in one go: `route(method, "/ingest/<source>", handler)` for
Silta's own endpoints, `mount("/slack/events", wsgi_app)` for whole apps such as Bolt's
`slack_bolt.adapter.wsgi.SlackRequestHandler`, which then see the request untouched. An
unexpected error answers 500 with an id that is also in the log, never a traceback.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Workspace
from bot.ingest import webhook
from bot.ingest.poller import Classifier
from bot.models import utcnow

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
_REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    """Lower-cased names."""
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    headers: list[tuple[str, str]] = field(default_factory=list)


Handler = Callable[[Request], Reply]


def _compile(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"<(\w+)>", pattern)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    found = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.replace("_", "-").lower()] = str(environ[key])
    return found


class Router:
    def __init__(self, *, max_body: int = MAX_BODY) -> None:
        self.max_body = max_body
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._mounts: list[tuple[str, WSGIApplication]] = []

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method.upper(), _compile(pattern), handler))

    def mount(self, prefix: str, app: WSGIApplication) -> None:
        self._mounts.append((prefix.rstrip("/"), app))

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        for prefix, app in self._mounts:
            if path == prefix or path.startswith(prefix + "/"):
                return app(environ, start_response)
        reply = self._dispatch(environ, path)
        body = json.dumps(reply.body).encode()
        start_response(
            f"{reply.status} {_REASONS.get(reply.status, '')}".strip(),
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                *reply.headers,
            ],
        )
        return [body]

    def _dispatch(self, environ: WSGIEnvironment, path: str) -> Reply:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        matched = [(m, found, h) for m, p, h in self._routes if (found := p.match(path))]
        if not matched:
            return Reply(404, {"error": f"nothing at {path}"})
        chosen = next(((found, h) for m, found, h in matched if m == method), None)
        if chosen is None:
            allowed = ", ".join(sorted({m for m, _, _ in matched}))
            return Reply(405, {"error": f"use {allowed}"}, [("Allow", allowed)])
        body = self._body(environ)
        if body is None:
            return Reply(413, {"error": f"the body is over {self.max_body // 1024} KB"})
        found, handler = chosen
        request = Request(method, path, found.groupdict(), _headers(environ), body)
        try:
            return handler(request)
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            log.exception("error %s while handling %s %s", error_id, method, path)
            return Reply(500, {"error": "internal error", "id": error_id})

    def _body(self, environ: WSGIEnvironment) -> bytes | None:
        length = str(environ.get("CONTENT_LENGTH") or "")
        if length.isdigit() and int(length) > self.max_body:
            return None
        stream = environ.get("wsgi.input")
        if stream is None:
            return b""
        if length.isdigit():
            body = stream.read(int(length))
        elif "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
            body = stream.read(self.max_body + 1)
        else:
            return b""  # no length and not chunked: no body (reading would wait for ever)
        return None if len(body) > self.max_body else body


def create_app(
    workspace: Workspace,
    *,
    sessions: sessionmaker[Session],
    classifier: Callable[[], Classifier | None] = lambda: None,
    mounts: Mapping[str, WSGIApplication] | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Router:
    """The app `silta serve` runs. `classifier` is asked once per accepted push (after the
    secret is checked), so a retrained model is picked up without a restart; `mounts` maps
    path prefixes to whole WSGI apps (Slack's Bolt under "/slack"); `clock` times the webhook
    sources' health (the demo's virtual clock, as its polls are timed)."""
    router = Router()

    def healthz(_: Request) -> Reply:
        try:
            with sessions() as session:
                session.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            log.warning("healthz: database unreachable: %s", exc)
            return Reply(503, {"status": "unavailable", "database": "unreachable"})
        return Reply(200, {"status": "ok"})

    def ingest(request: Request) -> Reply:
        name = request.params["source"]
        refused = webhook.refusal(name, request.body, request.headers, workspace=workspace)
        if refused is not None:
            return Reply(refused.status, refused.body)
        answer = webhook.receive(
            name,
            request.body,
            request.headers,
            workspace=workspace,
            sessions=sessions,
            classifier=classifier(),
            clock=clock,
        )
        return Reply(answer.status, answer.body)

    router.route("GET", "/healthz", healthz)
    for prefix, mounted in (mounts or {}).items():
        router.mount(prefix, mounted)
    router.route("POST", "/ingest/<source>", ingest)
    return router


class _Gunicorn(BaseApplication):
    def __init__(self, app: WSGIApplication, options: dict[str, Any]) -> None:
        self.app = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApplication:
        return self.app


def run_gunicorn(app: WSGIApplication, *, bind: str, workers: int = 2) -> None:
    """Serve `app` with gunicorn's pre-fork workers until stopped. The app is built before the
    fork; the caller disposes of the engine first, so each worker opens its own connections."""
    options = {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "accesslog": "-",
        "timeout": 30,
        "graceful_timeout": 10,
    }
    _Gunicorn(app, options).run()


class BackgroundServer:
    """The web app served from a thread of this process, by waitress (a production WSGI
    server that, unlike gunicorn, does not fork): `silta run` keeps the scheduler and Socket
    Mode beside it in one process, and tests serve real HTTP on loopback the same way."""

    def __init__(self, app: WSGIApplication, *, host: str = "127.0.0.1", port: int = 0) -> None:
        # Imported here for start-up time: `silta serve` and every other command never need it.
        from waitress.server import create_server

        self._server = create_server(app, host=host, port=port, threads=8, ident="silta")
        self.port: int = self._server.effective_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.run, name="web", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Finish the requests under way, then close every socket from inside waitress's own
        loop (closing them from this thread races it) so that the loop ends."""
        self._server.task_dispatcher.shutdown()
        self._server.trigger.pull_trigger(self._close_all)
        self._thread.join(timeout=5)

    def _close_all(self) -> None:
        for channel in list(self._server._map.values()):
            channel.close()
