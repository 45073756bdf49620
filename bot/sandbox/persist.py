"""Keeping the sandbox's workspace in a JSON file: loaded at start, written on change — at most
every `interval` seconds, atomically (a temporary file renamed over the old one), so a restarted
demo shows what was posted before and a crash never leaves half a file."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def load(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when there is none (or it cannot be read: then start afresh)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("sandbox state %s unreadable, starting afresh: %s", path, exc)
        return None
    return data if isinstance(data, dict) else None


def write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Saver:
    """Writes `snapshot()` to `path` in a background thread after `mark()`, throttled."""

    def __init__(
        self, path: Path, snapshot: Callable[[], dict[str, Any]], *, interval: float = 0.5
    ) -> None:
        self.path = path
        self.interval = interval
        self._snapshot = snapshot
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sandbox-saver", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark(self) -> None:
        self._dirty.set()

    def flush(self) -> None:
        with self._lock:
            self._dirty.clear()
            write(self.path, self._snapshot())

    def close(self) -> None:
        self._stopping.set()
        self._dirty.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.flush()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait()
            if self._stopping.is_set():
                return
            try:
                self.flush()
            except OSError as exc:
                log.warning("could not save sandbox state to %s: %s", self.path, exc)
            self._stopping.wait(self.interval)
