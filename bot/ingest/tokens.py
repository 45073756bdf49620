"""Access tokens kept between polls, so a source signs in once per token lifetime.

Bluesky allows a few hundred sessions a day and Reddit's app tokens last a day: signing in on
every poll would hit those limits. The cache lives for the process (the worker), keyed by where
and as whom we sign in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._tokens: dict[tuple[str, ...], tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(
        self, key: tuple[str, ...], fetch: Callable[[], tuple[str, float]], *, margin: float = 60
    ) -> str:
        """The cached token, or a fresh one from `fetch` (which returns token, lifetime)."""
        with self._lock:
            cached = self._tokens.get(key)
            if cached and cached[1] > self._clock():
                return cached[0]
        token, lifetime = fetch()
        with self._lock:
            self._tokens[key] = (token, self._clock() + max(0.0, lifetime - margin))
        return token

    def forget(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self._tokens.pop(key, None)


TOKENS = TokenCache()
