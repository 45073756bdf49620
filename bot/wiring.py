"""Silta put together: the one module in bot/ that imports handlers/ and digests/, and the one
that knows every family of the worker's jobs. Everything else in bot/ is a part that imports
only what sits below it, so no part reaches a feature through an import hidden in a function
(tests/test_imports.py holds every module to that).

- the worker's jobs: `PROVIDERS`, one per family (polls, alerts, digests, retraining);
- the Slack app: Bolt (`bot.slack.create_app`) with the listeners of handlers/;
- the web app every long-running command serves: /healthz, the webhook intake and Slack;
- the commands of features bot/ may not import (`silta digest`, `silta report`).

The `silta` group itself is assembled in bot/cli, which adds those commands through
`add_commands`, rather than here: `worker`, `serve`, `run` and `demo` need this module's jobs
and apps, so a wiring that imported bot/cli would import its own importers. This way the
imports go one way, bot/cli → here → the features.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import click
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

import digests.cli
import handlers
from bot import web
from bot.alert_jobs import alert_jobs
from bot.classify.jobs import retrain_jobs
from bot.ingest.jobs import classifier_provider, poll_jobs
from bot.jobspec import JobSpec
from bot.runtime import Runtime
from bot.services import Services
from bot.slack import EVENTS_PATH, create_app
from digests.jobs import digest_jobs

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger(__name__)

JobProvider = Callable[[Runtime], Iterable[JobSpec]]

PROVIDERS: tuple[JobProvider, ...] = (poll_jobs, alert_jobs, digest_jobs, retrain_jobs)
"""Every family of the worker's jobs: a new family is one provider and one entry here."""


def worker_jobs(runtime: Runtime) -> list[JobSpec]:
    return [job for provider in PROVIDERS for job in provider(runtime)]


def slack_app(
    services: Services,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    sessions: sessionmaker[Session] | None = None,
) -> App:
    """The Bolt app with every listener, all of them on `services` (a runtime's, so that they
    go by its clock). OAuth installs are stored through `sessions`, the listeners' own unless
    given."""
    app = create_app(
        services.config,
        sessions=services.sessions if sessions is None else sessions,
        client=client,
        socket_mode=socket_mode,
    )
    handlers.register(app, services)
    return app


def _slack_mounts(runtime: Runtime) -> dict[str, WSGIApplication]:
    """Bolt under /slack (events, commands and interactivity on /slack/events; OAuth on
    /slack/install and /slack/oauth_redirect). Without a signing secret Slack is left out, so
    a webhook-only deployment still serves."""
    if not runtime.config.settings.slack_signing_secret:
        log.warning("SLACK_SIGNING_SECRET is not set: /slack/events is not served")
        return {}
    app = slack_app(runtime.services)
    return {"/slack": SlackRequestHandler(app, path=EVENTS_PATH)}


def runtime_app(runtime: Runtime, *, slack: bool = True) -> web.Router:
    """The app every long-running command serves (`serve`, `run`, `demo`): /healthz, the
    webhook intake and, unless Slack arrives over Socket Mode, Bolt under /slack with the
    runtime's services, so its listeners go by the runtime's clock."""
    return web.create_app(
        runtime.config.workspace,
        sessions=runtime.sessions,
        classifier=classifier_provider(runtime),
        mounts=_slack_mounts(runtime) if slack else None,
        clock=runtime.clock,
    )


def add_commands(group: click.Group) -> None:
    """The commands that live with their feature outside bot/."""
    digests.cli.register(group)
