"""A stand-in for the bot's Slack endpoint: a loopback HTTP server that checks every request's
signature with slack_sdk's SignatureVerifier (as Bolt does), records what arrived, and answers
as the test says (an empty 200 by default, like Bolt's `ack()`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

SECRET = "sandbox-test-signing-secret"


@dataclass(frozen=True)
class Arrival:
    body: bytes
    headers: dict[str, str]
    valid: bool

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    @property
    def payload(self) -> dict[str, Any]:
        """An interaction's JSON payload, or an event envelope."""
        if self.headers.get("content-type", "").startswith("application/json"):
            return json.loads(self.body)
        return json.loads(self.form["payload"])


Reply = tuple[int, bytes, float]
"""Status, body, and seconds to wait before answering."""


class Receiver:
    def __init__(self, secret: str = SECRET) -> None:
        self.verifier = SignatureVerifier(secret)
        self.arrivals: list[Arrival] = []
        self.reply: Callable[[Arrival], Reply] = lambda arrival: (200, b"", 0.0)
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                arrival = Arrival(body, headers, receiver.verifier.is_valid_request(body, headers))
                with receiver._changed:
                    receiver.arrivals.append(arrival)
                    receiver._changed.notify_all()
                status, answer, delay = receiver.reply(arrival) if arrival.valid else (401, b"", 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/slack/events"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, count: int = 1, timeout: float = 5.0) -> list[Arrival]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.arrivals) >= count, timeout):
                raise AssertionError(f"{len(self.arrivals)} request(s) arrived, wanted {count}")
            return list(self.arrivals)
