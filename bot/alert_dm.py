"""An alert's DM, posted at most once, however Slack's answer gets lost.

The DM is posted by a client that never repeats a post (`Retry.POST_ONCE`) and carries message
metadata naming its alert. When posting fails in a way that may come after Slack posted (a 5xx,
a timeout, a connection lost once the request was sent), the DM channel stays recorded on the
alert, and the next attempt first looks for the marked DM in that channel's history: found, it
is recorded, not posted again. A failure Slack certainly did not act on clears the channel, so
the next attempt posts without looking. Either way an alert that was not delivered still is.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.models import Alert
from bot.slack_client import messages
from bot.slack_failures import FAILURES, failure

EVENT = "silta_alert"
HISTORY_PAGES = 5


def deliver(client: WebClient, alert: Alert, *, text: str, blocks: list[dict[str, Any]]) -> None:
    """Post the alert's DM, or find the one an earlier attempt posted; sets `alert.channel`
    and `alert.message_ts`. Raises what the client raises (`FAILURES`)."""
    if alert.channel is None:
        alert.channel = str(client.conversations_open(users=alert.user_id)["channel"]["id"])
    else:
        found = _find(client, alert.channel, alert)
        if found is not None:
            alert.message_ts = found
            return
    try:
        posted = client.chat_postMessage(
            channel=alert.channel,
            text=text,
            blocks=blocks,
            metadata=marker(alert),
            unfurl_links=False,
            unfurl_media=False,
        )
    except FAILURES as exc:
        if failure(exc).certainly_not_posted:
            alert.channel = None
        raise
    alert.message_ts = str(posted["ts"])


def marker(alert: Alert) -> dict[str, Any]:
    return {"event_type": EVENT, "event_payload": {"alert": alert.id, "mention": alert.mention_id}}


def _marks(message: dict[str, Any], alert: Alert) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == EVENT and (
        str(payload.get("alert")),
        str(payload.get("mention")),
    ) == (str(alert.id), str(alert.mention_id))


def _find(client: WebClient, channel: str, alert: Alert) -> str | None:
    """The ts of the alert's DM in `channel`, if an earlier attempt posted it."""
    history = messages(client.conversations_history, pages=HISTORY_PAGES, channel=channel)
    return next((str(m["ts"]) for m in history if _marks(m, alert)), None)
