"""The worker's jobs played on a virtual clock: the same `JobSpec`s `silta worker` runs
(`bot.wiring.worker_jobs`), each fired when its own APScheduler trigger says, with the
trigger evaluated on virtual time rather than on the wall clock.

As under `build_scheduler`: a job marked `start_now` runs at once, fires missed while time ran
ahead are coalesced into one run, and a job never runs beside itself — a fire that falls due
while the previous run is still going waits for it, then runs once. Runs go to a small thread
pool; one job failing is logged and stops nothing. A job's misfire grace does not apply here:
virtual time runs ahead of the machine on purpose, so a late fire is run (coalesced), never
dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobspec import JobSpec

log = logging.getLogger(__name__)

MAX_CATCH_UP = 100_000
"""Fire times walked to coalesce a gap before giving up on walking and asking the trigger."""


@dataclass
class JobState:
    spec: JobSpec
    next_fire: datetime | None
    runs: int = 0
    last_fire: datetime | None = None
    failures: int = 0
    running: Future[None] | None = field(default=None, repr=False)

    @property
    def busy(self) -> bool:
        return self.running is not None and not self.running.done()


def first_fire(spec: JobSpec, now: datetime) -> datetime | None:
    if spec.start_now:
        return now
    if isinstance(spec.trigger, IntervalTrigger):
        # Its start date is the wall clock's "now + interval", which means nothing in
        # virtual time: count the first interval from the virtual now instead.
        return now + spec.trigger.interval
    return spec.trigger.get_next_fire_time(None, now)


def coalesce(spec: JobSpec, due: datetime, now: datetime) -> datetime | None:
    """The next fire time after `now`, skipping every fire between `due` and `now` (they are
    one run, the one about to start)."""
    trigger = spec.trigger
    if isinstance(trigger, IntervalTrigger) and trigger.end_date is None:
        interval = trigger.interval
        behind = (now - due) // interval
        return due + (behind + 1) * interval
    fire = due
    for _ in range(MAX_CATCH_UP):
        following = trigger.get_next_fire_time(fire, now)
        if following is None or following > now:
            return following
        fire = following
    return trigger.get_next_fire_time(None, now + timedelta(microseconds=1))


class TimeLapse:
    """Runs `jobs` on `clock` until stopped, or until `until` when given (then `on_end` is
    called, from the runner's thread). `step()` fires what is due once (tests drive it with a
    hand-set clock); `start()` does it in a thread, waking when the next job is due."""

    def __init__(
        self,
        jobs: Iterable[JobSpec],
        clock: Callable[[], datetime],
        *,
        speed: float = 1.0,
        workers: int = 6,
        max_wait: float = 0.2,
        min_wait: float = 0.05,
        until: datetime | None = None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        self.clock = clock
        self.until = until
        self.on_end = on_end
        self.speed = speed
        self.max_wait = max_wait
        self.min_wait = min_wait
        now = clock()
        self.jobs = [JobState(spec, first_fire(spec, now)) for spec in jobs]
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="timelapse")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> list[str]:
        """Start every job that is due and not already running; returns their ids."""
        now = self.clock()
        if self.until is not None:
            now = min(now, self.until)
        started = []
        for job in self.jobs:
            if job.next_fire is None or job.next_fire > now or job.busy:
                continue
            job.last_fire = job.next_fire
            job.next_fire = coalesce(job.spec, job.next_fire, now)
            job.running = self._pool.submit(self._run, job)
            started.append(job.spec.id)
        return started

    def _run(self, job: JobState) -> None:
        try:
            job.spec.func()
        except Exception:
            job.failures += 1
            log.exception("job %s failed", job.spec.id)
        finally:
            job.runs += 1

    def wait_seconds(self) -> float:
        """Wall-clock time until the next job is due, within [min_wait, max_wait]."""
        now = self.clock()
        upcoming = [j.next_fire for j in self.jobs if j.next_fire is not None and not j.busy]
        if not upcoming:
            return self.max_wait
        seconds = (min(upcoming) - now).total_seconds() / self.speed
        return min(self.max_wait, max(self.min_wait, seconds))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="timelapse", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.step()
            if self.until is not None and self.clock() >= self.until:
                if self.on_end is not None:
                    self.on_end()
                return
            self._stop.wait(self.wait_seconds())

    def stop(self, *, timeout: float = 30.0) -> None:
        """Fire nothing more; let the runs under way finish (up to `timeout` seconds)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + timeout
        for job in self.jobs:
            if job.running is not None:
                try:
                    job.running.exception(timeout=max(0.0, deadline - time.monotonic()))
                except TimeoutError:
                    log.warning("job %s still running at stop", job.spec.id)
                except CancelledError:
                    log.debug("job %s was cancelled before it started", job.spec.id)

    def idle(self) -> bool:
        """No run under way (tests wait for this before looking at the results)."""
        return not any(job.busy for job in self.jobs)

    def __enter__(self) -> TimeLapse:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
