from datetime import UTC, datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobspec import JobSpec, every, misfire_grace
from bot.scheduler import build_scheduler


def test_the_misfire_grace_fits_the_interval():
    assert misfire_grace(timedelta(seconds=30)) == 15
    assert misfire_grace(timedelta(minutes=5)) == 150
    assert misfire_grace(timedelta(days=1)) == 3600
    assert misfire_grace(timedelta(seconds=1)) == 1


def test_every_job_coalesces_and_never_overlaps_itself():
    jobs = [
        every("poll:hn", lambda: None, timedelta(minutes=5)),
        JobSpec("retrain", lambda: None, IntervalTrigger(hours=24), 3600),
    ]
    scheduler = build_scheduler(jobs, blocking=False)
    poll, retrain = scheduler.get_job("poll:hn"), scheduler.get_job("retrain")
    assert (poll.coalesce, poll.max_instances, poll.misfire_grace_time) == (True, 1, 150)
    assert (retrain.coalesce, retrain.max_instances, retrain.misfire_grace_time) == (True, 1, 3600)
    assert poll.next_run_time <= datetime.now(UTC) + timedelta(seconds=1)
    assert poll.trigger.interval == timedelta(minutes=5)
