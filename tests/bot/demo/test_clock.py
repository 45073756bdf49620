"""The virtual clock: speed, start and stop, and the state that lets a demo resume."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.demo.clock import ClockState, VirtualClock, load_state, save_state

MONDAY = datetime(2026, 11, 23, 8, 45, tzinfo=UTC)


class Ticks:
    """A hand-set monotonic clock."""

    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def test_runs_speed_times_faster_once_started():
    ticks = Ticks()
    clock = VirtualClock(MONDAY, speed=600, monotonic=ticks)
    ticks.value += 10
    assert clock() == MONDAY  # stopped until started: a slow start-up costs no virtual time
    clock.start()
    ticks.value += 6
    assert clock() == MONDAY + timedelta(hours=1)
    assert clock.real_seconds(timedelta(hours=1)) == 6


def test_stop_freezes_and_start_resumes_where_it_stopped():
    ticks = Ticks()
    clock = VirtualClock(MONDAY, speed=60, monotonic=ticks, running=True)
    ticks.value += 1
    stopped = clock.stop()
    assert stopped == MONDAY + timedelta(minutes=1)
    ticks.value += 100
    assert clock() == stopped
    clock.start()
    ticks.value += 2
    assert clock() == stopped + timedelta(minutes=2)


def test_rejects_a_naive_time_and_a_speed_that_is_not_positive():
    with pytest.raises(ValueError, match="aware"):
        VirtualClock(MONDAY.replace(tzinfo=None), speed=1)
    with pytest.raises(ValueError, match="positive"):
        VirtualClock(MONDAY, speed=0)


def test_state_round_trips_and_a_broken_file_starts_over(tmp_path):
    path = tmp_path / "clock.json"
    assert load_state(path) is None
    state = ClockState(start=MONDAY - timedelta(hours=8, minutes=45), now=MONDAY)
    save_state(path, state)
    assert load_state(path) == state
    assert not path.with_name("clock.json.tmp").exists()
    path.write_text("{not json")
    assert load_state(path) is None
