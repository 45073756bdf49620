"""A fake of Slack's Web API: a real HTTP server on 127.0.0.1, in a thread, answering like
Slack for the methods Silta uses, recording every call, and failing on demand.

    with FakeSlack() as slack:
        client = WebClient(token=slack.token, base_url=slack.api_url)
        slack.fail("chat.postMessage", status=429, retry_after=1)   # once, then normal
        slack.fail("chat.postMessage", error="not_in_channel")
        client.chat_postMessage(channel="#support", text="hi")
        slack.calls_to("chat.postMessage")[-1].params["text"]

Response URLs (`slack.response_url("x")`) accept what `respond` posts and record it as the
method "respond". `apps.connections.open` hands out the URL of a local WebSocket server
(`FakeSocketMode`) so Socket Mode runs end to end. Self-contained on purpose: it depends on the
standard library (and `websockets` for Socket Mode) only, so it can move into the package later.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

JSON_KEYS = {"blocks", "attachments", "view", "metadata"}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float
    path: str = ""


@dataclass
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None


@dataclass
class Channel:
    id: str
    name: str
    member: bool = True
    messages: list[dict[str, Any]] = field(default_factory=list)


class FakeSlack:
    def __init__(self, *, token: str = "xoxb-fake-token", app_token: str = "xapp-fake") -> None:
        self.token = token
        self.app_token = app_token
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.socket_url: str | None = None
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._channels: dict[str, Channel] = {}
        self._ts = itertools.count(1)
        self.files: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.add_channel("C0GENERAL", "general")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/respond/{name}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # scripting -----------------------------------------------------------------------------

    def add_channel(self, channel_id: str, name: str, *, member: bool = True) -> Channel:
        channel = Channel(channel_id, name, member)
        self._channels[channel_id] = channel
        return channel

    def add_user(self, user_id: str, *, admin: bool = False, name: str | None = None) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": name or user_id.lower(),
            "is_admin": admin,
            "is_owner": False,
            "is_primary_owner": False,
        }

    def fail(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls to `method` fail: 429 (with Retry-After), a 5xx, a dropped
        connection (status 0), or an `{"ok": false, "error": …}` such as channel_not_found,
        not_in_channel or invalid_auth."""
        if status == 429 and retry_after is None:
            retry_after = 1
        for _ in range(times):
            self._faults[method].append(Fault(status, error, retry_after))

    # reading -------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, *, path: str | None = None
    ) -> list[Call]:
        """The calls to `method` (at `path`, if given) once there are at least `count`;
        AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and path in (None, c.path)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(found)} call(s) to {method} after {timeout}s, wanted {count}; "
                        f"seen: {[c.method for c in self.calls]}"
                    )
                self._changed.wait(left)

    def messages(self, channel: str) -> list[dict[str, Any]]:
        found = self._channel(channel)
        return list(found.messages) if found else []

    # Slack's behaviour ---------------------------------------------------------------------

    def _channel(self, ref: str) -> Channel | None:
        if ref.startswith("#"):
            return next((c for c in self._channels.values() if c.name == ref[1:]), None)
        return self._channels.get(ref)

    def _record(
        self, method: str, params: dict[str, Any], headers: dict[str, str], path: str
    ) -> None:
        with self._changed:
            self.calls.append(Call(method, params, headers, time.monotonic(), path))
            self._changed.notify_all()

    def answer(
        self, method: str, params: dict[str, Any], headers: dict[str, str], path: str = ""
    ) -> tuple[int, dict[str, str], Any]:
        self._record(method, params, headers, path)
        if method == "respond":
            return 200, {}, {"ok": True}
        if self._faults[method]:
            fault = self._faults[method].popleft()
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            if fault.status == 0:
                return 0, {}, None
            if fault.status != 200:
                return (
                    fault.status,
                    extra,
                    {"ok": False, "error": "ratelimited" if fault.status == 429 else "fatal_error"},
                )
            return 200, extra, {"ok": False, "error": fault.error}
        token = headers.get("authorization", "").removeprefix("Bearer ") or params.get("token", "")
        wanted = self.app_token if method == "apps.connections.open" else self.token
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        if token != wanted:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, handler(params)

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.test/",
            "team": "Fake",
            "user": "silta",
            "team_id": "T0FAKE",
            "user_id": "U0SILTA",
            "bot_id": "B0SILTA",
            "is_enterprise_install": False,
        }

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.member:
            return {"ok": False, "error": "not_in_channel"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        message = {
            "type": "message",
            "ts": self._next_ts(),
            "text": params.get("text", ""),
            "blocks": params.get("blocks") or [],
            "bot_id": "B0SILTA",
        }
        if params.get("metadata"):
            message["metadata"] = params["metadata"]
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        channel.messages.insert(0, message)
        return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": message}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        for message in channel.messages:
            if message["ts"] == params.get("ts"):
                message.update(text=params.get("text", ""), blocks=params.get("blocks") or [])
                return {
                    "ok": True,
                    "channel": channel.id,
                    "ts": message["ts"],
                    "text": message["text"],
                }
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.member:
            return {"ok": False, "error": "not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", ""))
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        digest = hashlib.sha1(users.encode(), usedforsecurity=False).hexdigest()[:8].upper()
        channel_id = f"D{digest}"
        if channel_id not in self._channels:
            self.add_channel(channel_id, channel_id)
        return {"ok": True, "channel": {"id": channel_id}}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(params.get("limit") or 100)
        oldest = float(params.get("oldest") or 0)
        found = [
            m
            for m in channel.messages
            if m.get("thread_ts") in (None, m["ts"]) and float(m["ts"]) >= oldest
        ]
        return {"ok": True, "messages": found[:limit], "has_more": False}

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """The parent first, then its replies oldest first, as Slack answers."""
        channel = self._channel(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(params.get("ts", ""))
        thread = [m for m in reversed(channel.messages) if ts in (m["ts"], m.get("thread_ts"))]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        """Step 1 of the files upload flow: a one-off URL on this server."""
        if not params.get("filename") or not params.get("length"):
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ts):08d}"
        self.files[file_id] = {
            "id": file_id,
            "name": params["filename"],
            "length": int(params["length"]),
            "content": None,
        }
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def uploaded(self, file_id: str, body: bytes) -> tuple[int, dict[str, str], Any]:
        """Step 2: the bytes posted to the upload URL (Slack answers with plain "OK")."""
        self._record("upload", {"file_id": file_id, "size": len(body)}, {}, f"/upload/{file_id}")
        if file_id not in self.files:
            return 404, {}, {"ok": False, "error": "file_not_found"}
        self.files[file_id]["content"] = body
        return 200, {}, "OK"

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        """Step 3: share the uploaded files in a channel (and thread), as a message."""
        files = json.loads(params.get("files") or "[]")
        known = [self.files.get(str(f.get("id"))) for f in files]
        if not files or any(f is None or f["content"] is None for f in known):
            return {"ok": False, "error": "file_not_found"}
        pairs = zip(known, files, strict=True)
        shared = [{**f, "title": g.get("title", f["name"])} for f, g in pairs]
        for file in shared:
            self.files[file["id"]]["title"] = file["title"]
        channel = self._channel(str(params.get("channel_id") or ""))
        if channel is not None:
            message: dict[str, Any] = {
                "type": "message",
                "ts": self._next_ts(),
                "text": params.get("initial_comment") or "",
                "files": [{"id": f["id"], "title": f["title"]} for f in shared],
            }
            if params.get("thread_ts"):
                message["thread_ts"] = str(params["thread_ts"])
            channel.messages.insert(0, message)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shared]}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("user_id") or not params.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0HOME", **params["view"]}}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.socket_url is None:
            return {"ok": False, "error": "socket_mode_not_enabled"}
        return {"ok": True, "url": self.socket_url}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path.path.startswith("/upload/"):
                    self._send(*fake.uploaded(path.path.removeprefix("/upload/"), body))
                    return
                params = _params(body, headers.get("content-type", ""), path.query)
                if path.path.startswith("/respond/"):
                    method = "respond"
                elif path.path.startswith("/api/"):
                    method = path.path.removeprefix("/api/")
                else:
                    self._send(404, {}, {"ok": False, "error": "not_found"})
                    return
                status, extra, answer = fake.answer(method, params, headers, path.path)
                if status == 0:
                    self.close_connection = True
                    return
                self._send(status, extra, answer)

            do_GET = do_POST

            def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


def _params(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    if "json" in content_type and body:
        params: dict[str, Any] = json.loads(body)
    else:
        raw = parse_qs(body.decode() if body else query, keep_blank_values=True)
        params = {k: v[-1] for k, v in raw.items()}
    for key in JSON_KEYS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    return params


class FakeSocketMode:
    """Slack's Socket Mode end: a WebSocket server that says hello, pushes envelopes and
    collects the app's acknowledgements (with their response payloads)."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: list[dict[str, Any]] = []
        self._connections: list[Any] = []
        self._changed = threading.Condition()
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link"

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def _session(self, connection: Any) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        for message in connection:
            with self._changed:
                self.acks.append(json.loads(message))
                self._changed.notify_all()

    def send(self, envelope: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Push an envelope to the connected app and return its acknowledgement."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._connections, timeout):
                raise AssertionError("no app connected over Socket Mode")
            self._connections[-1].send(json.dumps(envelope))
            wanted = envelope["envelope_id"]
            found = self._changed.wait_for(
                lambda: next((a for a in self.acks if a.get("envelope_id") == wanted), None),
                timeout,
            )
        if found is None:
            raise AssertionError(f"envelope {wanted} was not acknowledged")
        return found
