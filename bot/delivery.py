"""Posting a mention to a team's channel as a correction happens, with Slack's refusal turned
into a sentence that says the fix."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import SlackError
from bot.slack_failures import failure


def post(client: WebClient, channel: str, *, blocks: list[dict[str, Any]], text: str) -> str:
    """Post a message; returns its ts."""
    try:
        reply = client.chat_postMessage(
            channel=channel, blocks=blocks, text=text, unfurl_links=False, unfurl_media=False
        )
    except SlackApiError as exc:
        refused = failure(exc)
        code = refused.slack_error or "unknown_error"
        raise SlackError(
            f"Could not post to {channel}: {refused.advice or code}.", code=code
        ) from None
    return str(reply["ts"])
