"""One leader among the workers: a lease on any database, an advisory lock on PostgreSQL,
and two real `silta worker` processes where killing the leader hands the jobs over."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot import db
from bot.config import load_settings
from bot.errors import ConfigError
from bot.leader import AdvisoryLock, LeaseLock, lead
from tests.conftest import POSTGRES_URL, ROOT, scratch_postgres

T0 = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_a_lease_has_one_holder_until_it_expires(sessions):
    now = [T0]
    a = LeaseLock(sessions, "a", ttl=timedelta(seconds=30), clock=lambda: now[0])
    b = LeaseLock(sessions, "b", ttl=timedelta(seconds=30), clock=lambda: now[0])
    assert a.acquire() and not b.acquire()
    now[0] += timedelta(seconds=20)
    assert a.acquire() and not b.acquire()  # renewed until T0 + 50 s
    now[0] += timedelta(seconds=31)
    assert b.acquire() and not a.acquire()
    b.release()
    assert a.acquire()


@pytest.mark.postgres
def test_the_advisory_lock_is_freed_when_its_holder_goes():
    with scratch_postgres(POSTGRES_URL) as url:
        first, second = AdvisoryLock(url, key=42), AdvisoryLock(url, key=42)
        try:
            assert first.acquire() and first.acquire()
            assert not second.acquire()
            first.release()
            assert second.acquire()
        finally:
            first.release()
            second.release()


class Scripted:
    def __init__(self, answers: list[bool]) -> None:
        self.answers = answers
        self.released = False

    def acquire(self) -> bool:
        return self.answers.pop(0) if self.answers else False

    def release(self) -> None:
        self.released = True


def test_jobs_run_only_while_leading():
    stop = threading.Event()
    leadership = Scripted([False, True, True, False])
    started: list[BackgroundScheduler] = []

    def start() -> BackgroundScheduler:
        started.append(BackgroundScheduler())
        return started[-1]

    def stop_when_done() -> None:
        while leadership.answers:
            time.sleep(0.01)
        time.sleep(0.05)
        stop.set()

    threading.Thread(target=stop_when_done).start()
    lead(leadership, start, retry=0.01, stop=stop, holder="me")
    assert len(started) == 1 and not started[0].running
    assert leadership.released


def test_the_retry_interval_is_a_validated_setting():
    assert load_settings({}).leader_retry == 5.0
    assert load_settings({"SILTA_LEADER_RETRY": "0.5"}).leader_retry == 0.5
    with pytest.raises(ConfigError, match="SILTA_LEADER_RETRY"):
        load_settings({"SILTA_LEADER_RETRY": "soon"})
    with pytest.raises(ConfigError, match="SILTA_LEADER_RETRY"):
        load_settings({"SILTA_LEADER_RETRY": "60"})


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=handle,
        )


def _leader(logs: dict[int, Path], deadline: float) -> int:
    while time.monotonic() < deadline:
        for pid, log in logs.items():
            if re.search(rf":{pid}:\w+ leads", log.read_text(errors="replace")):
                return pid
        time.sleep(0.1)
    raise AssertionError("no worker leads: " + " | ".join(p.read_text() for p in logs.values()))


@pytest.mark.postgres
@pytest.mark.slow
def test_killing_the_leading_worker_hands_the_jobs_to_the_other(tmp_path):
    config = tmp_path / "silta.toml"
    config.write_text('[company]\nname = "Acme"\nterms = ["Acme"]\n')
    with scratch_postgres(POSTGRES_URL) as url:
        engine = db.make_engine(url)
        db.upgrade(engine)
        engine.dispose()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SILTA_"))},
            "DATABASE_URL": url,
            "SILTA_CONFIG": str(config),
            "SILTA_LEADER_RETRY": "0.5",
            "LOG_LEVEL": "INFO",
        }
        workers = [_start_worker(env, tmp_path / f"worker{i}.log") for i in range(2)]
        logs = {w.pid: tmp_path / f"worker{i}.log" for i, w in enumerate(workers)}
        try:
            first = _leader(logs, time.monotonic() + 30)
            (follower,) = (w for w in workers if w.pid != first)
            time.sleep(1.5)  # the follower has tried, and failed, a few times by now
            assert " leads" not in logs[follower.pid].read_text()
            os.kill(first, signal.SIGKILL)
            killed_at = time.monotonic()
            assert _leader({follower.pid: logs[follower.pid]}, killed_at + 60) == follower.pid
            assert time.monotonic() - killed_at < 60
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=10)
