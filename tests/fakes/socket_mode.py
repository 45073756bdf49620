"""Slack's Socket Mode end for tests: a local WebSocket server (needs `websockets`, a test
dependency, so it stays out of the package). Point `Sandbox.socket_url` at `url`."""

from __future__ import annotations

import json
import threading
from typing import Any


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
