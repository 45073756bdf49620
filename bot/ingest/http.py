"""The one way connectors talk HTTP: bounded in time, size and patience.

Every request has a timeout and a response size cap (read as a stream, so a huge or endless
body is cut off, after decompression). Timeouts, refused connections, 5xx and 429 are retried
with exponential backoff and jitter; a `Retry-After` or rate-limit reset header sets the wait
instead. A wait longer than `max_wait` is not slept through: it becomes `RateLimited`, so one
source never holds the worker, and the poller remembers when to come back.

Retries are a small loop rather than tenacity: the wait depends on the response (Retry-After,
each API's reset header, Stack Exchange's `backoff` field) and some waits must turn into an
error instead of a sleep. Written as a loop, that reads top to bottom, and `sleep` is injected
so tests assert on the delays without waiting for them.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot.errors import RateLimited, SourceError
from bot.ingest.normalize import to_utc

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
RETRY_STATUSES = frozenset({500, 502, 503, 504})
USER_AGENT = "python:silta:0.1 (Silta mention monitor; +https://github.com/silta-bot/silta)"
_REMAINING = ("x-ratelimit-remaining", "x-rate-limit-remaining", "ratelimit-remaining")
_RESET = ("x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset")


def where(url: str | httpx.URL) -> str:
    """Host and path only: query strings carry API keys and must not reach logs or Slack."""
    parts = urlsplit(str(url))
    return f"{parts.netloc}{parts.path}"


@dataclass(frozen=True)
class Response:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(
                f"{where(self.url)} answered with invalid JSON ({exc}); the body may be truncated"
            ) from None

    def snippet(self, limit: int = 200) -> str:
        text = self.body[:limit].decode("utf-8", "replace")
        return " ".join(text.split())


def seconds_until_reset(headers: httpx.Headers, now: float) -> float | None:
    """How long until the quota refills, from whichever reset header this API sends.

    Reddit sends seconds to wait, GitHub, X and Bluesky an epoch time, Mastodon an ISO time.
    """
    raw = next((headers[name] for name in _RESET if name in headers), None)
    if raw is None:
        return None
    try:
        number = float(raw)
    except ValueError:
        moment = to_utc(raw)
        return max(0.0, moment.timestamp() - now) if moment else None
    return max(0.0, number - now) if number > 1e9 else max(0.0, number)


def retry_after(headers: httpx.Headers, now: float) -> float | None:
    """Retry-After as seconds, whether given as a number or as an HTTP date."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        moment = to_utc(raw)
        return max(0.0, moment.timestamp() - now) if moment else None


def quota_exhausted(headers: httpx.Headers) -> bool:
    raw = next((headers[name] for name in _REMAINING if name in headers), None)
    try:
        return raw is not None and float(raw) < 1
    except ValueError:
        return False


class Fetcher:
    """An httpx client wrapped with one source's timeout, retries, rate limits and size cap."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        source: str,
        timeout: float = 20.0,
        attempts: int = 4,
        max_wait: float = 60.0,
        max_bytes: int = MAX_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.source = source
        self.timeout = timeout
        self.attempts = attempts
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.clock = clock
        self.jitter = jitter
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self._not_before = 0.0

    def error(self, message: str) -> SourceError:
        return SourceError(message, source=self.source)

    def defer(self, seconds: float) -> None:
        """Hold the next request back, as Stack Exchange's `backoff` field asks."""
        self._not_before = max(self._not_before, self.clock() + seconds)

    def get_json(self, url: str, **kwargs: Any) -> Any:
        return self.check(self.request("GET", url, **kwargs)).json()

    def check(self, response: Response) -> Response:
        """Turn a status the connector did not handle itself into a sentence."""
        if 200 <= response.status < 300 or response.status == 304:
            return response
        place = where(response.url)
        if response.status in (401, 403):
            raise self.error(
                f"{place} refused the credentials (HTTP {response.status}): check the token or "
                f"key in silta.toml. Server said: {response.snippet()}"
            )
        if response.status == 404:
            raise self.error(f"{place} does not exist (HTTP 404): check the source's settings")
        raise self.error(f"{place} answered HTTP {response.status}: {response.snippet()}")

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        """One request with retries; any status below 500 except 429 is returned as is."""
        kwargs["headers"] = {**self.headers, **(kwargs.get("headers") or {})}
        for attempt in range(1, self.attempts + 1):
            self._wait_turn()
            last = attempt == self.attempts
            try:
                response = self._send(method, url, **kwargs)
            except httpx.TimeoutException:
                problem = f"{where(url)} did not answer within {self.timeout:g}s"
                self._retry_or_raise(problem, attempt, last, None)
                continue
            except httpx.TransportError as exc:
                problem = f"cannot reach {where(url)} ({type(exc).__name__}: {exc})"
                self._retry_or_raise(problem, attempt, last, None)
                continue
            if response.status == 429 or response.status in RETRY_STATUSES:
                problem = f"{where(url)} answered HTTP {response.status}"
                self._retry_or_raise(problem, attempt, last, response)
                continue
            if quota_exhausted(response.headers):
                self.defer(seconds_until_reset(response.headers, self.clock()) or 0.0)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait_turn(self) -> None:
        wait = self._not_before - self.clock()
        if wait <= 0:
            return
        if wait > self.max_wait:
            raise RateLimited(
                f"rate limit reached; the API asks to wait {wait:.0f}s",
                retry_after=wait,
                source=self.source,
            )
        self.sleep(wait)

    def _retry_or_raise(
        self, problem: str, attempt: int, last: bool, response: Response | None
    ) -> None:
        asked = None
        if response is not None:
            now = self.clock()
            asked = retry_after(response.headers, now)
            if asked is None and response.status == 429:
                asked = seconds_until_reset(response.headers, now)
        if asked is not None and (asked > self.max_wait or last):
            raise RateLimited(
                f"{problem}; it asks to wait {asked:.0f}s", retry_after=asked, source=self.source
            )
        if last:
            raise self.error(f"{problem} ({self.attempts} attempts)")
        delay = asked if asked is not None else self._backoff(attempt)
        log.warning("%s: %s; retrying in %.1fs", self.source, problem, delay)
        self.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Exponential with "equal jitter": half fixed, half random, capped at 30 s."""
        ceiling = min(30.0, 2.0 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * self.jitter()

    def _send(self, method: str, url: str, **kwargs: Any) -> Response:
        with self.client.stream(method, url, timeout=self.timeout, **kwargs) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_big(url)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_big(url)
                chunks.append(chunk)
            return Response(response.status_code, response.headers, b"".join(chunks), str(url))

    def _too_big(self, url: str) -> SourceError:
        return self.error(
            f"{where(url)} sent more than {self.max_bytes // (1024 * 1024)} MB; refused it"
        )
