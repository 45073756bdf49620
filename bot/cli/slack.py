"""`silta run`: the embedded default, everything in one process — the worker's jobs, the web
app (/healthz, webhooks) and Slack: over Socket Mode when SLACK_APP_TOKEN is set (no public
URL needed), otherwise over HTTP on /slack/events of the same web app."""

from __future__ import annotations

import logging
import os
import signal
import threading

import click
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import Engine

from bot import leader
from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from bot.web import BackgroundServer
from bot.wiring import runtime_app, slack_app, worker_jobs

log = logging.getLogger(__name__)


def _lead_in_background(
    runtime: Runtime, engine: Engine, stop: threading.Event
) -> threading.Thread:
    """The jobs run only while this process leads, as in `silta worker`: a `silta run` beside
    a worker on the same database never runs a job twice."""
    retry = runtime.settings.leader_retry
    holder = leader.worker_id()
    thread = threading.Thread(
        target=leader.lead,
        args=(
            leader.leadership_for(engine, runtime.sessions, holder, retry=retry),
            lambda: build_scheduler(worker_jobs(runtime), blocking=False),
        ),
        kwargs={"retry": retry, "stop": stop, "holder": holder},
        name="jobs",
    )
    thread.start()
    return thread


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "3000")),
    show_default="$PORT or 3000",
)
@click.pass_obj
def run(runtime: Runtime, host: str, port: int) -> None:
    """Run Silta in one process: jobs, web app and Slack (Socket Mode with SLACK_APP_TOKEN)."""
    engine = runtime.upgraded_engine()
    settings = runtime.config.settings
    socket_mode = bool(settings.slack_app_token)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    jobs = _lead_in_background(runtime, engine, stop)
    server = BackgroundServer(runtime_app(runtime, slack=not socket_mode), host=host, port=port)
    handler = None
    if socket_mode:
        app = slack_app(runtime.services, socket_mode=True)
        handler = SocketModeHandler(app, app_token=settings.slack_app_token)
        handler.connect()
    mode = "Socket Mode" if socket_mode else f"HTTP on http://{host}:{port}/slack/events"
    click.echo(f"Silta is running ({mode}); Ctrl-C stops.", err=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if handler is not None:
            handler.close()
        server.close()
        stop.set()
        jobs.join(timeout=30)


def register(cli: click.Group) -> None:
    cli.add_command(run)
