"""The worker's digest jobs: one per team on its own cron and time zone, a weekly report for
reporting teams, and a sweep that catches up and retries."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from digests.jobs import digest_jobs
from tests.builders import workspace_file

TEAMS = {
    "support": {"channel": "#support", "categories": ["support_issue"], "schedule": "0 * * * *"},
    "sales": {
        "channel": "#sales",
        "categories": ["sales_lead"],
        "schedule": "0 9 * * 1-5",
        "timezone": "Europe/Helsinki",
    },
    "marketing": {
        "channel": "#marketing",
        "categories": ["noise"],
        "schedule": "0 9 * * 1",
        "timezone": "America/New_York",
        "report": True,
    },
}


def runtime(tmp_path, **env: str) -> Runtime:
    workspace_file(tmp_path / "silta.toml", teams=TEAMS, sources=[])
    return Runtime(
        {"SILTA_CONFIG": str(tmp_path / "silta.toml"), "DATABASE_URL": "sqlite://", **env}
    )


def test_a_job_per_team_schedule_and_report_plus_the_sweep(tmp_path):
    jobs = digest_jobs(runtime(tmp_path, SLACK_BOT_TOKEN="xoxb-1"))
    scheduler = build_scheduler(jobs, blocking=False)
    ids = sorted(job.id for job in scheduler.get_jobs())
    assert ids == [
        "digest:marketing",
        "digest:sales",
        "digest:support",
        "digests:sweep",
        "report:marketing",
    ]
    sales = scheduler.get_job("digest:sales")
    assert (sales.coalesce, sales.max_instances, sales.misfire_grace_time) == (True, 1, 3600)
    friday_evening = datetime(2026, 11, 27, 18, tzinfo=UTC)
    fire = sales.trigger.get_next_fire_time(None, friday_evening)
    assert fire == datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Helsinki"))  # Monday
    report = scheduler.get_job("report:marketing")
    fire = report.trigger.get_next_fire_time(None, friday_evening)
    assert fire == datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("America/New_York"))
    sweep = scheduler.get_job("digests:sweep")
    assert sweep.trigger.interval.total_seconds() == 60


def test_without_a_bot_token_nothing_is_scheduled(tmp_path):
    assert digest_jobs(runtime(tmp_path)) == []
