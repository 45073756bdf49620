"""What a scheduled job is, apart from whatever runs it: the worker's APScheduler
(`bot.scheduler`) and the demo's time-lapse (`bot.demo.timelapse`) run the same specs.

Every job may start late by at most a grace that fits its interval (half of it, up to an hour),
so a worker that was asleep catches up once instead of in a burst.

A leaf: it imports nothing of Silta, so each feature's jobs module builds its specs here
without importing the scheduler, and the scheduler imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

MAX_GRACE = 3600


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[], object]
    trigger: BaseTrigger
    misfire_grace_time: int
    start_now: bool = False
    """Run once as soon as the scheduler starts, then on the trigger."""


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
