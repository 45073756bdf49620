"""The time-lapse runner fires the worker's JobSpecs on virtual time: at the times their own
triggers say, missed fires coalesced, never a job beside itself, a failure stopping nothing."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.cron import trigger
from bot.demo.timelapse import TimeLapse, coalesce
from bot.jobspec import JobSpec, every

MONDAY = datetime(2026, 11, 23, 8, 45, tzinfo=UTC)


class HandClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


class Recorder:
    def __init__(self, clock: HandClock) -> None:
        self.clock = clock
        self.times: list[datetime] = []

    def __call__(self) -> None:
        self.times.append(self.clock())


def settle(lapse: TimeLapse) -> None:
    deadline = time.monotonic() + 5
    while not lapse.idle():
        assert time.monotonic() < deadline, "a job never finished"
        time.sleep(0.005)


def run_minutes(lapse: TimeLapse, clock, minutes: int) -> None:
    """Step the lapse once a minute for `minutes`, each run finished before the next, then stop."""
    try:
        for _ in range(minutes):
            lapse.step()
            settle(lapse)
            clock.advance(minutes=1)
    finally:
        lapse.stop()


def cron_job(job_id: str, func, schedule: str, zone: str = "UTC") -> JobSpec:
    return JobSpec(job_id, func, trigger(schedule, zone), 3600)


@pytest.fixture
def clock() -> HandClock:
    return HandClock(MONDAY)


def test_cron_jobs_fire_at_their_virtual_times(clock):
    hourly = Recorder(clock)
    lapse = TimeLapse([cron_job("support", hourly, "0 9-17 * * 1-5")], clock)
    run_minutes(lapse, clock, 60 * 12)  # Monday 08:45 → 20:45
    assert [t.hour for t in hourly.times] == list(range(9, 18))
    assert all(t.minute == 0 for t in hourly.times)


def test_cron_in_a_team_time_zone(clock):
    helsinki = Recorder(clock)
    lapse = TimeLapse([cron_job("d", helsinki, "0 9 * * *", "Europe/Helsinki")], clock)
    try:
        for _ in range(24):
            clock.advance(hours=1)
            lapse.step()
            settle(lapse)
    finally:
        lapse.stop()
    assert helsinki.times == [datetime(2026, 11, 24, 7, 45, tzinfo=UTC)]  # 09:00 EET = 07:00 UTC


def test_interval_job_starts_now_then_every_interval(clock):
    ticks = Recorder(clock)
    lapse = TimeLapse([every("poll", ticks, timedelta(minutes=15))], clock)
    run_minutes(lapse, clock, 31)
    assert [t - MONDAY for t in ticks.times] == [timedelta(minutes=m) for m in (0, 15, 30)]


def test_missed_fires_coalesce_into_one_run(clock):
    hourly, ticks = Recorder(clock), Recorder(clock)
    lapse = TimeLapse(
        [cron_job("support", hourly, "0 * * * *"), every("alerts", ticks, timedelta(seconds=2))],
        clock,
    )
    try:
        lapse.step()
        settle(lapse)
        clock.advance(hours=5, minutes=10)  # five hourly fires and ~9,000 ticks missed
        assert sorted(lapse.step()) == ["alerts", "support"]
        settle(lapse)
        assert lapse.step() == []
    finally:
        lapse.stop()
    assert len(hourly.times) == 1
    assert len(ticks.times) == 2
    nexts = {job.spec.id: job.next_fire for job in lapse.jobs}
    assert nexts["support"] == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert MONDAY + timedelta(hours=5, minutes=10) < nexts["alerts"]
    assert nexts["alerts"] <= MONDAY + timedelta(hours=5, minutes=10, seconds=2)


def test_coalesce_skips_to_the_first_fire_after_now():
    spec = every("x", lambda: None, timedelta(seconds=2))
    assert coalesce(spec, MONDAY, MONDAY) == MONDAY + timedelta(seconds=2)
    assert coalesce(spec, MONDAY, MONDAY + timedelta(seconds=5)) == MONDAY + timedelta(seconds=6)
    cron = cron_job("c", lambda: None, "30 9 * * *")
    later = MONDAY + timedelta(days=3)
    assert coalesce(cron, MONDAY, later) == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def test_a_job_never_runs_beside_itself_and_runs_once_after(clock):
    release = threading.Event()
    started = []

    def slow() -> None:
        started.append(clock())
        release.wait(5)

    lapse = TimeLapse([every("slow", slow, timedelta(seconds=10))], clock)
    try:
        assert lapse.step() == ["slow"]
        for _ in range(5):
            clock.advance(seconds=30)
            assert lapse.step() == []  # due, but its previous run is still going
        release.set()
        settle(lapse)
        assert lapse.step() == ["slow"]  # the fires it missed: one run
        settle(lapse)
    finally:
        lapse.stop()
    assert len(started) == 2


def test_a_failing_job_stops_nothing(clock, caplog):
    fine = Recorder(clock)

    def broken() -> None:
        raise RuntimeError("boom")

    lapse = TimeLapse(
        [every("broken", broken, timedelta(minutes=1)), every("fine", fine, timedelta(minutes=1))],
        clock,
    )
    run_minutes(lapse, clock, 3)
    assert len(fine.times) == 3
    assert {job.spec.id: job.failures for job in lapse.jobs} == {"broken": 3, "fine": 0}
    assert "job broken failed" in caplog.text


def test_runs_in_its_own_thread_on_a_fast_virtual_clock():
    from bot.demo.clock import VirtualClock

    virtual = VirtualClock(MONDAY, speed=3600, running=True)  # an hour a second
    fires = []
    spec = cron_job("q", lambda: fires.append(virtual()), "*/15 * * * *")
    with TimeLapse([spec], virtual, speed=3600):
        deadline = time.monotonic() + 5
        while len(fires) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert [f.minute for f in fires[:2]] == [0, 15]
    assert all(abs((f - f.replace(second=0, microsecond=0)).total_seconds()) < 60 for f in fires)


def test_resumes_from_the_virtual_time_it_is_given(clock):
    """A demo started again hands the runner the saved virtual time: what already fired before
    the stop does not fire again, and the next fire comes on schedule."""
    hourly = Recorder(clock)
    clock.at = datetime(2026, 11, 23, 12, 30, tzinfo=UTC)
    lapse = TimeLapse([cron_job("support", hourly, "0 9-17 * * 1-5")], clock)
    try:
        assert lapse.step() == []
        clock.advance(minutes=30)
        assert lapse.step() == ["support"]
        settle(lapse)
    finally:
        lapse.stop()
    assert hourly.times == [datetime(2026, 11, 23, 13, 0, tzinfo=UTC)]


def test_stops_firing_at_the_end_of_the_week_and_says_so():
    from bot.demo.clock import VirtualClock

    virtual = VirtualClock(MONDAY, speed=36000, running=True)  # ten hours a second
    fires, ended = [], threading.Event()
    spec = cron_job("q", lambda: fires.append(virtual()), "0 * * * *")
    end = MONDAY + timedelta(hours=3)
    with TimeLapse([spec], virtual, speed=36000, until=end, on_end=ended.set) as lapse:
        assert ended.wait(5)
    assert lapse.jobs[0].last_fire == MONDAY.replace(hour=11, minute=0)
    assert len(fires) <= 3  # 09:00, 10:00 and 11:00, some perhaps coalesced; nothing after
