"""What scripts and tests see of the Web API traffic: every call recorded, and faults queued on
demand (`Sandbox.fail`)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any


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
    processed: bool = False
    """Carry the call out first, then answer with the fault (Slack posted, the answer was lost)."""


class CallLog:
    """Every call, in order; `wait_for` blocks until enough calls to a method have arrived."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._changed = threading.Condition()

    def record(
        self, method: str, params: dict[str, Any], headers: dict[str, str], path: str
    ) -> None:
        with self._changed:
            self.calls.append(Call(method, params, headers, time.monotonic(), path))
            self._changed.notify_all()

    def fail(self, method: str, fault: Fault, times: int) -> None:
        with self._changed:
            self._faults[method].extend(
                Fault(fault.status, fault.error, fault.retry_after, fault.processed)
                for _ in range(times)
            )

    def next_fault(self, method: str) -> Fault | None:
        with self._changed:
            queue = self._faults.get(method)
            return queue.popleft() if queue else None

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, *, path: str | None = None
    ) -> list[Call]:
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
