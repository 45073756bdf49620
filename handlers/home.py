"""App Home: what you subscribed to, today's counts per team, what Silta could not post, and
how the sources are."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import answers, blocks, preferences
from bot.services import Services
from bot.store import health
from handlers.errors import reported


def home(user: str, services: Services) -> dict[str, Any]:
    now = services.clock()
    with services.session() as session:
        settings = preferences.current(user, session=session, now=now)
        today = answers.today_by_team(workspace=services.workspace, session=session, now=now)
        sources = health.report(workspace=services.workspace, session=session, now=now)
        deliveries = answers.deliveries(workspace=services.workspace, session=session, now=now)
    return blocks.home_view(settings, today, sources, deliveries)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def opened(ack: Any, event: dict[str, Any], client: WebClient) -> None:
        ack()
        if event.get("tab", "home") == "home":
            with reported(None):
                client.views_publish(user_id=event["user"], view=home(event["user"], services))
