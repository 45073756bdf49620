"""The worker's jobs on APScheduler 3: every job coalesces missed runs into one, never runs
twice at once, and may start late by at most a grace that fits its interval (half of it, up to
an hour), so a worker that was asleep catches up once instead of in a burst.

Families of jobs come from providers, functions of the runtime that return `JobSpec`s; the
worker runs whatever `worker_jobs` collects. Adding retraining or digests is one provider and
one line in `PROVIDERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

if TYPE_CHECKING:
    from bot.runtime import Runtime

MAX_GRACE = 3600


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[], object]
    trigger: BaseTrigger
    misfire_grace_time: int
    start_now: bool = False
    """Run once as soon as the scheduler starts, then on the trigger."""


JobProvider = Callable[["Runtime"], Iterable[JobSpec]]


def misfire_grace(interval: timedelta) -> int:
    return max(1, min(MAX_GRACE, int(interval.total_seconds() // 2)))


def every(job_id: str, func: Callable[[], object], interval: timedelta) -> JobSpec:
    """A job on a fixed interval that also runs at start-up."""
    return JobSpec(
        job_id,
        func,
        IntervalTrigger(seconds=interval.total_seconds(), timezone=UTC),
        misfire_grace(interval),
        start_now=True,
    )


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


def providers() -> list[JobProvider]:
    """Every family of worker jobs. Imported here, not at the top, because providers import
    the scheduler for `JobSpec` and `every`."""
    from bot.alerts import alert_jobs
    from bot.classify.jobs import retrain_jobs
    from bot.ingest.jobs import poll_jobs
    from digests.jobs import digest_jobs

    return [poll_jobs, alert_jobs, digest_jobs, retrain_jobs]


def worker_jobs(runtime: Runtime) -> list[JobSpec]:
    return [job for provider in providers() for job in provider(runtime)]
