"""The one place that decides what a person sees when something fails: a SiltaError's own
sentence, ephemerally; anything else is a bug, logged with an id the person also sees.

Listeners ack first and then work inside `reported(respond)`, which hands any failure to
`tell`. (Raising past Bolt after an ack would make Bolt forget the ack under a race, and Slack
would show "dispatch_failed".) Failures before the ack reach the same `tell` through Bolt's
error handler.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import App

from bot.errors import SiltaError
from bot.mrkdwn import escape
from bot.services import Services

log = logging.getLogger(__name__)


def message_for(error: BaseException) -> str:
    if isinstance(error, SiltaError):
        return escape(str(error))
    error_id = uuid.uuid4().hex[:10]
    log.error("error %s in a Slack listener", error_id, exc_info=error)
    return (
        f"Sorry, something went wrong on Silta's side (error `{error_id}`). "
        "Nothing was lost; try again in a moment, or give the id to whoever runs Silta."
    )


def tell(error: BaseException, respond: Any) -> None:
    text = message_for(error)
    if respond is None:
        log.warning("could not tell the user (no response_url): %s", text)
        return
    respond(text=text, response_type="ephemeral", replace_original=False)


@contextmanager
def reported(respond: Any) -> Iterator[None]:
    try:
        yield
    except Exception as error:
        tell(error, respond)


def register(app: App, services: Services) -> None:
    @app.error
    def on_error(error: Exception, respond: Any) -> None:
        tell(error, respond)
