"""The worker's alert job, apart from `bot.alerts` (who gets a DM, and when): the job needs a
Slack client and the runtime, the rules need neither."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.alerts import Watcher, dispatch_due
from bot.jobspec import JobSpec, every
from bot.runtime import Runtime
from bot.slack_client import Retry, make_client

log = logging.getLogger(__name__)

TICK = timedelta(seconds=2)


def alert_jobs(runtime: Runtime) -> list[JobSpec]:
    """The worker's alert job: every few seconds, enqueue what new mentions call for and send
    what is due — an urgent mention reaches its subscribers within seconds of being stored."""
    settings, workspace = runtime.settings, runtime.config.workspace
    if not settings.slack_bot_token:
        log.warning("SLACK_BOT_TOKEN is not set: alerts are not sent")
        return []
    client = make_client(settings, retry=Retry.POST_ONCE)
    watcher = Watcher(workspace, sessions=runtime.sessions, clock=runtime.clock)

    def tick() -> None:
        watcher.tick()
        result = dispatch_due(
            sessions=runtime.sessions, client=client, workspace=workspace, now=runtime.clock()
        )
        if result.sent or result.failed:
            log.info(
                "alerts: %s sent, %s deferred, %s failed",
                result.sent,
                result.deferred,
                result.failed,
            )

    return [every("alerts", tick, TICK)]
