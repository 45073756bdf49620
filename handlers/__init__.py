"""Slack listeners, one module per surface. `register` is the one place they are attached to
the Bolt app; `bot.wiring.slack_app` calls it.

A listener acks first (Slack wants an answer within 3 s, whatever the database is doing), then
parses, asks bot/ for the answer, builds blocks and responds. Errors are not caught here: the
one handler in `errors` decides what the person sees.
"""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import actions, commands, errors, home


def register(app: App, services: Services) -> None:
    for module in (commands, actions, home, errors):
        module.register(app, services)
