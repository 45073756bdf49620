"""Buttons and menus on the mentions Silta shows: Move to…, Acknowledge, Not urgent, Open,
and More under search results. Each acks first, then corrects, posts and updates."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, commands, corrections, delivery
from bot.errors import CommandError
from bot.ids import ActionId
from bot.models import Alert, Mention
from bot.services import Services
from bot.slack_failures import failure
from bot.store import alerts as alert_store
from handlers.errors import reported
from handlers.subcommands import parse, search_page

log = logging.getLogger(__name__)


def _update_original(
    body: dict[str, Any], respond: Any, client: WebClient, mention_id: int, note: str
) -> None:
    """Put the note under the mention in the message that was clicked: edited in place when
    it is a real message, or answered privately when it was an ephemeral one."""
    container = body.get("container") or {}
    message = body.get("message")
    if message and not container.get("is_ephemeral") and container.get("channel_id"):
        client.chat_update(
            channel=container["channel_id"],
            ts=container["message_ts"],
            blocks=blocks.annotate(message.get("blocks") or [], mention_id, note),
            text=message.get("text") or "Silta",
        )
    else:
        respond(text=note, response_type="ephemeral", replace_original=False)


def _refresh_alerts(
    alerts: list[Alert], mention: Mention, services: Services, client: WebClient, note: str = ""
) -> set[tuple[str, str]]:
    """Every recipient's DM about the mention, rebuilt: one failed update spares the rest.
    Returns the (channel, ts) of every DM it covers."""
    covered = set()
    for alert in alerts:
        if not (alert.channel and alert.message_ts):
            continue
        covered.add((alert.channel, alert.message_ts))
        found = blocks.alert_blocks(
            mention,
            services.teams,
            reason=alert.reason or "Urgent mention",
            acknowledged_by=alert.acknowledged_by,
            acknowledged_at=alert.acknowledged_at,
        )
        if note:
            found = blocks.annotate(found, mention.id, note)
        try:
            client.chat_update(
                channel=alert.channel,
                ts=alert.message_ts,
                blocks=found,
                text=blocks.alert_text(mention, alert.reason or "Urgent mention"),
            )
        except SlackApiError as exc:
            log.warning("could not update alert %s: %s", alert.id, failure(exc).code)
    return covered


def _clicked(body: dict[str, Any]) -> tuple[str, str] | None:
    container = body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        return container["channel_id"], container["message_ts"]
    return None


def _show_everywhere(
    body: dict[str, Any],
    respond: Any,
    client: WebClient,
    services: Services,
    mention: Mention,
    alerts: list[Alert],
    note: str,
) -> None:
    """The note on every alert DM about the mention, so nobody acts on a stale copy, and on
    the message that was clicked when that was not one of them (a digest, a search result)."""
    covered = _refresh_alerts(alerts, mention, services, client, note)
    if _clicked(body) not in covered:
        _update_original(body, respond, client, mention.id, note)


def move(
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    services: Services,
) -> None:
    mention_id, team = blocks.parse_move_value(action["selected_option"]["value"])
    user = body["user"]["id"]
    with services.session() as session:
        moved = corrections.move(
            mention_id, team, user_id=user, workspace=services.workspace, session=session
        )
        mention = moved.mention
        note = blocks.moved_note(team, user, copies=len(moved.copies))
        posted = blocks.mention_blocks(
            mention,
            services.teams,
            buttons=blocks.open_button(mention),
            note=f"Moved here by <@{user}>.",
        )
        fallback = blocks.alert_text(mention, "Mention moved here")
        alerts = alert_store.for_mention(mention_id, session=session)
    if team is not None:
        channel = services.workspace.teams[team].channel
        delivery.post(client, channel, blocks=posted, text=fallback)
    _show_everywhere(body, respond, client, services, mention, alerts, note)


def acknowledge(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, services: Services
) -> None:
    mention_id = int(action["value"])
    with services.session() as session:
        alerts = alert_store.acknowledge(
            mention_id, user_id=body["user"]["id"], at=services.clock(), session=session
        )
        mention = session.get(Mention, mention_id)
        if mention is None:
            raise CommandError("That mention is no longer stored.")
    _refresh_alerts(alerts, mention, services, client)


def not_urgent(
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    services: Services,
) -> None:
    mention_id = int(action["value"])
    user = body["user"]["id"]
    note = f":ok_hand: Marked not urgent by <@{user}>. Thanks: Silta learns from this."
    with services.session() as session:
        mention = corrections.not_urgent(mention_id, user_id=user, session=session)
        alerts = alert_store.for_mention(mention_id, session=session)
    _show_everywhere(body, respond, client, services, mention, alerts, note)


def more(action: dict[str, Any], respond: Any, services: Services) -> None:
    try:
        asked = json.loads(action["value"])
        query, offset = str(asked["q"]), int(asked["o"])
    except (ValueError, KeyError, TypeError):
        raise CommandError(
            "That button is out of date; search again with `/silta search`."
        ) from None
    parsed = parse(f"search {query}", teams=services.teams, sources=services.sources)
    assert isinstance(parsed, commands.Search)
    respond(
        blocks=search_page(parsed, services, offset=max(0, offset)),
        text="Silta search",
        response_type="ephemeral",
        replace_original=True,
    )


def register(app: App, services: Services) -> None:
    @app.action(ActionId.MOVE)
    def on_move(ack: Any, body: dict, action: dict, respond: Any, client: WebClient) -> None:
        ack()
        with reported(respond):
            move(body, action, respond, client, services)

    @app.action(ActionId.ACKNOWLEDGE)
    def on_acknowledge(ack: Any, body: dict, action: dict, respond: Any, client: WebClient) -> None:
        ack()
        with reported(respond):
            acknowledge(body, action, client, services)

    @app.action(ActionId.NOT_URGENT)
    def on_not_urgent(ack: Any, body: dict, action: dict, respond: Any, client: WebClient) -> None:
        ack()
        with reported(respond):
            not_urgent(body, action, respond, client, services)

    @app.action(ActionId.OPEN)
    def on_open(ack: Any) -> None:
        ack()

    @app.action(ActionId.SEARCH_MORE)
    def on_more(ack: Any, action: dict, respond: Any) -> None:
        ack()
        with reported(respond):
            more(action, respond, services)
