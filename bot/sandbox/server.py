"""The sandbox's HTTP server: one loopback server, in a thread, routing

/api/<method>           Slack's Web API (`webapi.WebApi`)
/respond/<name>         response URLs (recorded as the method "respond", shown by `ui.Ui`)
/upload/<file_id>       step 2 of the files upload flow
/files/<file_id>/<name> uploaded files, for the browser
/ui/...                 what the browser calls (state, message, command, action, home)
/, /static/<name>       the browser UI (package data under static/)
"""

from __future__ import annotations

import json
import mimetypes
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from bot.sandbox.ui import UiError

if TYPE_CHECKING:
    from bot.sandbox.sandbox import Sandbox

JSON_KEYS = {"blocks", "attachments", "view", "metadata"}
STATIC_NAME = re.compile(r"^[a-z0-9_-]+\.(?:html|js|css|svg|png)$")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: http: https:; script-src 'self'; "
        "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def params_of(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    """A Web API call's arguments: JSON, form fields or the query string; JSON-valued fields
    (blocks, view, …) decoded."""
    if "json" in content_type and body:
        params: dict[str, Any] = json.loads(body)
    else:
        raw = parse_qs(body.decode() if body else query, keep_blank_values=True)
        params = {k: v[-1] for k, v in raw.items()}
    for key in JSON_KEYS & params.keys():
        if isinstance(params[key], str) and params[key]:
            params[key] = json.loads(params[key])
    return params


def static_file(name: str) -> bytes | None:
    if not STATIC_NAME.match(name):
        return None
    found = resources.files("bot.sandbox").joinpath("static", name)
    return found.read_bytes() if found.is_file() else None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, sandbox: Sandbox, host: str, port: int) -> None:
        self.sandbox = sandbox
        super().__init__((host, port), Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, verb: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        sandbox = self.server.sandbox
        path = url.path
        try:
            if path.startswith("/api/"):
                params = params_of(body, headers.get("content-type", ""), url.query)
                method = path.removeprefix("/api/")
                self._send(*sandbox.api.answer(method, params, headers, path))
            elif path.startswith("/respond/"):
                params = params_of(body, headers.get("content-type", ""), url.query)
                sandbox.log.record("respond", params, headers, path)
                sandbox.ui.respond(path.removeprefix("/respond/"), params)
                self._send(200, {}, {"ok": True})
            elif path.startswith("/upload/"):
                self._send(*sandbox.api.uploaded(path.removeprefix("/upload/"), body))
            elif path.startswith("/files/") and verb == "GET":
                self._file(path.removeprefix("/files/").split("/", 1)[0])
            elif path.startswith("/ui/"):
                self._ui(verb, path.removeprefix("/ui/"), body, url.query)
            elif verb == "GET" and path in ("/", "/index.html"):
                self._static("index.html")
            elif verb == "GET" and path == "/favicon.ico":
                self._static("favicon.svg")
            elif verb == "GET" and path.startswith("/static/"):
                self._static(path.removeprefix("/static/"))
            else:
                self._send(404, {}, {"ok": False, "error": "not_found"})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the browser went away (a reload, a closed tab)
        except UiError as exc:
            self._send(400, {}, {"ok": False, "error": str(exc)})
        except (ValueError, KeyError, TypeError) as exc:
            self._send(400, {}, {"ok": False, "error": f"invalid_request: {exc}"})

    def _ui(self, verb: str, name: str, body: bytes, query: str) -> None:
        ui = self.server.sandbox.ui
        if name == "state" and verb == "GET":
            args = {k: v[-1] for k, v in parse_qs(query).items()}
            since, wait = int(args.get("since", -1)), float(args.get("wait", 0))
            self._send(200, {}, ui.state(since, wait))
            return
        if verb != "POST":
            self._send(405, {}, {"ok": False, "error": "method_not_allowed"})
            return
        data = json.loads(body or b"{}")
        if not isinstance(data, dict):
            raise UiError("invalid_json")
        if name == "message":
            answer = ui.post(str(data["channel"]), str(data["text"]), data.get("thread_ts"))
        elif name == "command":
            answer = ui.command(str(data["channel"]), str(data["text"]))
        elif name == "action":
            answer = ui.click(
                data.get("channel"),
                data.get("ts"),
                dict(data["action"]),
                home=bool(data.get("home")),
            )
        elif name == "home":
            answer = ui.open_home()
        else:
            self._send(404, {}, {"ok": False, "error": "not_found"})
            return
        self._send(200, {}, answer)

    def _file(self, file_id: str) -> None:
        stored = self.server.sandbox.files.get(file_id)
        if stored is None or stored.get("content") is None:
            self._send(404, {}, {"ok": False, "error": "file_not_found"})
            return
        kind = mimetypes.guess_type(str(stored.get("name", "")))[0] or "application/octet-stream"
        self._raw(200, kind, stored["content"])

    def _static(self, name: str) -> None:
        content = static_file(name)
        if content is None:
            self._send(404, {}, {"ok": False, "error": "not_found"})
            return
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._raw(200, f"{kind}; charset=utf-8" if kind.startswith("text/") else kind, content)

    def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
        if status == 0:
            self.close_connection = True
            return
        payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        kind = "text/plain" if isinstance(body, str) else "application/json"
        self._raw(status, f"{kind}; charset=utf-8", payload, headers)

    def _raw(
        self, status: int, kind: str, payload: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
