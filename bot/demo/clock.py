"""The demo's virtual clock: a week of schedules in minutes.

    virtual = anchor + (monotonic() − real_anchor) × speed

`anchor` is the virtual time at which the clock (re)started. The clock is created stopped and
starts when the demo is ready (servers up, first poll done), so a slow start-up costs no virtual
time; `stop()` freezes it. Its state — the start of the demo world's week and the virtual time
it stopped at — is a small JSON file in the demo's directory: running the demo again resumes
from there rather than starting the week over.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path


class VirtualClock:
    """Time that runs `speed` times faster than the wall clock, from `at`; thread-safe.

    Calling the clock returns the virtual time, so it goes wherever a `Callable[[], datetime]`
    does (the runtime, the feed server, the Deliverer)."""

    def __init__(
        self,
        at: datetime,
        *,
        speed: float,
        monotonic: Callable[[], float] = time.monotonic,
        running: bool = False,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        if at.tzinfo is None:
            raise ValueError("the virtual time must be aware (UTC)")
        self.speed = speed
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._anchor = at.astimezone(UTC)
        self._real_anchor: float | None = monotonic() if running else None

    @property
    def running(self) -> bool:
        return self._real_anchor is not None

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    __call__ = now

    def _now(self) -> datetime:
        if self._real_anchor is None:
            return self._anchor
        elapsed = (self._monotonic() - self._real_anchor) * self.speed
        return self._anchor + timedelta(seconds=elapsed)

    def start(self) -> None:
        with self._lock:
            if self._real_anchor is None:
                self._real_anchor = self._monotonic()

    def stop(self) -> datetime:
        """Freeze the clock; returns the virtual time it stopped at."""
        with self._lock:
            self._anchor = self._now()
            self._real_anchor = None
            return self._anchor

    def real_seconds(self, virtual: timedelta) -> float:
        """How long `virtual` takes on the wall clock."""
        return virtual.total_seconds() / self.speed


@dataclass(frozen=True)
class ClockState:
    """What `clock.json` keeps: the start of the demo world's week, and the virtual time."""

    start: datetime
    now: datetime

    def to_json(self) -> str:
        return json.dumps({"start": self.start.isoformat(), "now": self.now.isoformat()})

    @classmethod
    def from_json(cls, text: str) -> ClockState:
        data = json.loads(text)
        return cls(
            start=datetime.fromisoformat(data["start"]).astimezone(UTC),
            now=datetime.fromisoformat(data["now"]).astimezone(UTC),
        )


def load_state(path: Path) -> ClockState | None:
    """The saved state, or None when there is none (or it is unreadable: start the week over)."""
    try:
        return ClockState.from_json(path.read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_state(path: Path, state: ClockState) -> None:
    """Write atomically: a demo killed mid-write keeps the previous state, never half a file."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(state.to_json())
    os.replace(partial, path)
