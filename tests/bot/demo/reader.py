"""What the demo's tests read: the sandbox's Web API over HTTP as any script would read it
(`conversations.history` with the demo's token), the digests in a channel, and a wait for
what the running demo has not posted yet."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.demo.run import USER, DemoPaths

FAST = 3600.0
"""A virtual hour every real second: Monday's working day in ten seconds."""


class SandboxReader:
    """Reads the demo's sandbox through its Web API, with the token the demo keeps."""

    def __init__(self, url: str, directory: Path) -> None:
        self.url = url.rstrip("/")
        self.directory = directory

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        token = DemoPaths(self.directory).token.read_text().strip()
        answer = httpx.post(
            f"{self.url}/api/{method}",
            data=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        answer.raise_for_status()
        body = answer.json()
        assert body["ok"], body
        return body

    def history(self, channel: str) -> list[dict[str, Any]]:
        return self.call("conversations.history", channel=channel, limit=1000)["messages"]

    def digests(self, channel: str) -> list[dict[str, Any]]:
        """The main message of every digest or report in the channel, newest first."""
        return [m for m in self.history(channel) if digest_key(m) is not None]

    def dm(self) -> list[dict[str, Any]]:
        """What Silta sent the person at the browser."""
        channel = self.call("conversations.open", users=USER)["channel"]["id"]
        return self.history(channel)


def digest_key(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    if metadata.get("event_type") == "silta_digest" and payload.get("part") == 0:
        return str(payload["key"])
    return None


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.2) -> Any:
    """`check()`'s first truthy answer; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = check()
        except (httpx.HTTPError, OSError, AssertionError, FileNotFoundError):
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(every)
