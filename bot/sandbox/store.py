"""The sandbox's workspace: channels and DMs with their messages, users, uploaded files and App
Home views. Thread-safe; every change bumps `version`, wakes the browser's long poll and tells
the saver (if any) that there is something to write."""

from __future__ import annotations

import base64
import hashlib
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

BOT_USER = "U0SILTA"
BOT_ID = "B0SILTA"


@dataclass
class Channel:
    id: str
    name: str
    member: bool = True
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Newest first, as `conversations.history` answers."""
    ephemeral: list[dict[str, Any]] = field(default_factory=list)
    """Messages only one person sees (their "user"); never in the history. Newest first."""
    user: str | None = None
    """For a DM: the person the bot talks to."""

    @property
    def is_im(self) -> bool:
        return self.id.startswith("D")

    def find(self, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages if m.get("ts") == ts), None)

    def find_ephemeral(self, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.ephemeral if m.get("ts") == ts), None)


class Store:
    def __init__(self, clock: Callable[[], float | datetime] | None = None) -> None:
        self.clock = clock
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.version = 0
        self.on_change: Callable[[], None] | None = None
        self._ts = itertools.count(1)
        self._last_ts = 0
        self._changed = threading.Condition(threading.RLock())
        self._closed = False

    # changing ------------------------------------------------------------------------------

    @contextmanager
    def changing(self) -> Iterator[None]:
        """Hold the lock while changing the workspace; the change is announced on the way out."""
        with self._changed:
            yield
            self.version += 1
            self._changed.notify_all()
        if self.on_change is not None:
            self.on_change()

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            yield

    def wait(self, since: int, timeout: float) -> int:
        """Block until the version passes `since` (or the timeout, or close); the version."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != since or self._closed, timeout)
            return self.version

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def next_ts(self) -> str:
        """A message timestamp by the clock, with a counter that makes it unique and increasing
        (also across a saved and reloaded state) as long as the clock does not go back."""
        with self._changed:
            number = next(self._ts)
            self._last_ts = number
            return f"{int(self.now())}.{number:06d}"

    def now(self) -> float:
        """Seconds since the epoch by the sandbox's clock (a demo's virtual one, or the real)."""
        found = self.clock() if self.clock is not None else time.time()
        return found.timestamp() if isinstance(found, datetime) else float(found)

    def next_id(self, prefix: str) -> str:
        with self._changed:
            number = next(self._ts)
            self._last_ts = number
            return f"{prefix}{number:08d}"

    # channels and users --------------------------------------------------------------------

    def add_channel(self, channel_id: str, name: str, *, member: bool = True) -> Channel:
        """A channel; one that exists already keeps its messages (a reloaded state)."""
        with self.changing():
            channel = self.channels.get(channel_id)
            if channel is None:
                channel = self.channels[channel_id] = Channel(channel_id, name, member)
            else:
                channel.name, channel.member = name, member
            return channel

    def add_user(self, user_id: str, *, admin: bool = False, name: str | None = None) -> None:
        display = name or user_id.lower()
        with self.changing():
            self.users[user_id] = {
                "id": user_id,
                "team_id": "T0FAKE",
                "name": display,
                "real_name": display,
                "is_admin": admin,
                "is_owner": False,
                "is_primary_owner": False,
                "is_bot": False,
                "tz": "UTC",
                "profile": {"display_name": display, "real_name": display},
            }

    def channel(self, ref: str) -> Channel | None:
        """By ID, by name (`#support` or `support`), or a user ID for the DM with that person,
        as Slack allows."""
        with self._changed:
            if ref in self.channels:
                return self.channels[ref]
            if ref[:1] in ("U", "W") and ref[1:].isalnum() and ref.isupper():
                return self.open_dm(ref)
            name = ref.removeprefix("#")
            return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def open_dm(self, users: str) -> Channel:
        digest = hashlib.sha1(users.encode(), usedforsecurity=False).hexdigest()[:8].upper()
        channel_id = f"D{digest}"
        with self._changed:
            if channel_id in self.channels:
                return self.channels[channel_id]
        with self.changing():
            channel = Channel(channel_id, channel_id, user=users)
            self.channels[channel_id] = channel
            return channel

    def name_of(self, user_id: str) -> str:
        if user_id == BOT_USER:
            return "Silta"
        user = self.users.get(user_id)
        return str(user["profile"]["display_name"]) if user else user_id

    # saving --------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything worth keeping across a restart, as JSON-ready data."""
        with self._changed:
            return {
                "format": 1,
                "last_ts": self._last_ts,
                "channels": [asdict(c) for c in self.channels.values()],
                "users": self.users,
                "homes": self.homes,
                "files": {
                    k: {**f, "content": _b64(f.get("content"))} for k, f in self.files.items()
                },
            }

    def restore(self, data: dict[str, Any]) -> None:
        with self.changing():
            known = {f.name for f in fields(Channel)}
            for raw in data.get("channels", []):
                channel = Channel(**{k: v for k, v in raw.items() if k in known})
                self.channels[channel.id] = channel
            self.users.update(data.get("users", {}))
            self.homes.update(data.get("homes", {}))
            for key, raw in data.get("files", {}).items():
                content = raw.get("content")
                self.files[key] = {**raw, "content": base64.b64decode(content) if content else None}
            self._last_ts = int(data.get("last_ts", 0))
            self._ts = itertools.count(self._last_ts + 1)


def _b64(content: bytes | None) -> str | None:
    return base64.b64encode(content).decode() if content is not None else None
