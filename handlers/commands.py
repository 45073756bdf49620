"""`/silta`: ack at once, then answer through `respond`, only to the person asking. What each
subcommand says is in `handlers.subcommands`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.ids import Command
from bot.services import Services
from handlers.errors import reported
from handlers.subcommands import Ask, answer


def register(app: App, services: Services) -> None:
    @app.command(Command.SILTA)
    def silta(ack: Any, command: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        with reported(respond):
            found = answer(command.get("text") or "", Ask(command["user_id"], services, client))
            respond(blocks=found, text="Silta", response_type="ephemeral")
