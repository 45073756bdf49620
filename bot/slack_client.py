"""Every Slack Web API client Silta uses, each built with the retry policy its use can afford.

A retry inside the client repeats the HTTP request without asking whether Slack already acted
on it. For a read, opening a DM or Bolt's own calls that costs nothing, so `SAFE_TO_REPEAT`
retries 429s, 5xx answers and dropped connections. A message posted twice is seen twice, so
`POST_ONCE` retries only what Slack certainly did not process: a 429 (after its Retry-After)
and a refused connection. Whatever else fails reaches the caller, who can look before posting
again (digests and alert DMs check the channel's history for their marked messages).

The client goes to `SLACK_API_URL` (slack.com, GovSlack, or a local fake), and its logger never
sees the token: the SDK logs method names and payloads, and Silta logs neither headers nor
tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.config import Settings


class Retry(Enum):
    """What a client may repeat on its own."""

    SAFE_TO_REPEAT = "safe to repeat"
    """Reads, opening a DM, updating a message, Bolt's calls: 429, 5xx, lost connections."""
    POST_ONCE = "post once"
    """Posting: only what Slack did not process (429 after Retry-After, a refused connection)."""


class RefusedConnectionRetryHandler(RetryHandler):
    """Retries a connection that was refused: nothing reached Slack, so nothing was posted."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        reason = error.reason if isinstance(error, URLError) else error
        return response is None and isinstance(reason, ConnectionRefusedError)


def retry_handlers(retry: Retry, max_retries: int) -> list[RetryHandler]:
    if retry is Retry.POST_ONCE:
        return [
            RateLimitErrorRetryHandler(max_retry_count=max_retries),
            RefusedConnectionRetryHandler(max_retry_count=max_retries),
        ]
    return [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries),
        ConnectionErrorRetryHandler(max_retry_count=max_retries),
    ]


def make_client(
    settings: Settings,
    *,
    retry: Retry,
    token: str | None = None,
    timeout: int = 10,
    max_retries: int = 2,
) -> WebClient:
    """A Web API client for `settings.slack_api_url` with the bot token, or `token`."""
    return WebClient(
        token=token if token is not None else settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(retry, max_retries),
    )


def messages(
    call: Callable[..., SlackResponse], *, pages: int, **arguments: Any
) -> Iterator[dict[str, Any]]:
    """The messages of a paged `conversations.history` or `.replies` call, with their metadata,
    200 a page, at most `pages` pages: what a caller looks through for a message it marked
    before posting again. Stop iterating and no further page is asked for."""
    cursor = None
    for _ in range(pages):
        page = call(include_all_metadata=True, limit=200, cursor=cursor, **arguments)
        found: list[dict[str, Any]] = page.get("messages") or []
        yield from found
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return
