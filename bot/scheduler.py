"""The worker's jobs on APScheduler 3: every job coalesces missed runs into one, never runs
twice at once, and may start late by at most its spec's misfire grace.

The specs come from `bot.jobspec`; which jobs the worker runs is `bot.wiring.worker_jobs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.jobspec import JobSpec


def build_scheduler(jobs: Iterable[JobSpec], *, blocking: bool = True) -> BaseScheduler:
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if blocking else BackgroundScheduler(timezone=UTC)
    )
    for job in jobs:
        scheduler.add_job(
            job.func,
            job.trigger,
            id=job.id,
            name=job.id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.misfire_grace_time,
            replace_existing=True,
            **({"next_run_time": datetime.now(UTC)} if job.start_now else {}),
        )
    return scheduler
