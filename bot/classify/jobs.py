"""The worker's retraining job: corrections made during the day become the next model at the
time `classifier.retrain` says (a cron line, UTC)."""

from __future__ import annotations

import logging

from bot.classify import train
from bot.cron import trigger
from bot.db import session_scope
from bot.jobspec import MAX_GRACE, JobSpec
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def retrain_jobs(runtime: Runtime) -> list[JobSpec]:
    workspace = runtime.config.workspace

    def run() -> None:
        with session_scope(runtime.sessions) as session:
            trained = train.retrain(session=session, workspace=workspace)
        if trained is None:
            log.info("retraining: no new corrections since the active model")
        else:
            log.info(
                "retraining: %s is active (%d corrections)", trained.version, trained.trained_on
            )

    return [
        JobSpec(
            "classify:retrain",
            run,
            trigger(workspace.classifier.retrain, "UTC"),
            misfire_grace_time=MAX_GRACE,
        )
    ]
