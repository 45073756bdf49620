"""`silta digest` and `silta report` from the terminal: readable dry runs, and sending a
period twice posts it once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from bot import db
from bot.cli import cli
from bot.sandbox import Sandbox
from digests.cli import choose_period
from digests.deliver import plan_for
from tests.builders import FOUR_TEAMS, add, workspace, workspace_file

REPORTING = {
    "company": {"name": "Acme", "terms": ["Acme"], "competitors": ["Globex"]},
    "teams": {
        "support": {
            "channel": "#support",
            "categories": ["support_issue"],
            "schedule": "0 * * * *",
        },
        "marketing": {
            "channel": "#marketing",
            "categories": ["noise"],
            "schedule": "0 9 * * 1",
            "report": True,
        },
    },
    "targets": {"ack_minutes": 60},
    "sources": [],
}
"""Hourly support digests and a reporting marketing team, with one target."""


@pytest.fixture
def slack():
    with Sandbox() as fake:
        fake.add_channel("C0SUPPORT", "support")
        fake.add_channel("C0MARKETING", "marketing")
        yield fake


@pytest.fixture
def run(tmp_path, monkeypatch, slack):
    monkeypatch.chdir(tmp_path)
    workspace_file(tmp_path / "silta.toml", REPORTING)
    url = f"sqlite:///{tmp_path / 'silta.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    last_hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    with db.session_scope(db.make_session_factory(engine)) as session:
        add(session, "Acme <!channel> checkout fails with error 500", last_hour)
        text = "Acme status page green but the API is down for everyone"
        add(session, text, last_hour, source="hn", url="https://hn.example/1")
        add(session, text, last_hour, source="reddit", url="https://reddit.example/2")
    engine.dispose()
    env = {
        "DATABASE_URL": url,
        "SILTA_CONFIG": str(tmp_path / "silta.toml"),
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_API_URL": slack.api_url,
        "LOG_LEVEL": "WARNING",
    }

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def test_dry_run_shows_the_digest_in_the_terminal_and_sends_nothing(run, slack):
    result = run("digest", "--team", "support", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "support digest" in result.output and "to #support" in result.output
    assert "Support issue" in result.output and "3" in result.output
    assert "hn: https://hn.example/1" in result.output
    assert "reddit: https://reddit.example/2" in result.output
    assert "See everything: /silta search team:support since:1h" in result.output
    assert slack.calls_to("chat.postMessage") == []


def test_sending_twice_posts_once_and_says_so(run, slack):
    first = run("digest", "--team", "support")
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Sent the support digest for ")
    second = run("digest", "--team", "support")
    assert second.exit_code == 0
    assert "was already delivered" in second.output and "nothing posted" in second.output
    assert len([m for m in slack.messages("C0SUPPORT") if "thread_ts" not in m]) == 1


def test_an_unknown_team_is_named(run):
    result = run("digest", "--team", "suport", "--dry-run")
    assert result.exit_code == 1
    assert 'no team named "suport"' in result.output


def test_a_period_that_has_not_ended_is_refused(run):
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    result = run("digest", "--team", "support", "--period", tomorrow)
    assert result.exit_code == 1 and "has not ended yet" in result.output


def test_report_dry_run_prints_figures_and_writes_the_chart(run, tmp_path):
    result = run("report", "--dry-run", "--chart", "chart.png")
    assert result.exit_code == 0, result.output
    assert "Weekly report" in result.output and "Median time to acknowledge" in result.output
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_period_names_pick_the_period_delivered_then():
    four = workspace(FOUR_TEAMS)
    sales = plan_for(four, "sales", "digest")  # 09:00 on weekdays, Helsinki
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    latest = choose_period(sales, "latest", now)
    assert latest.label() == "Wed 25 Nov 09:00 – Thu 26 Nov 09:00 (Europe/Helsinki)"
    previous = choose_period(sales, "previous", now)
    assert previous.end == latest.start
    monday = choose_period(sales, "2026-11-23", now)
    assert monday.label() == "Fri 20 Nov 09:00 – Mon 23 Nov 09:00 (Europe/Helsinki)"
    report = plan_for(four, "marketing", "report")
    week = choose_period(report, "latest", now)
    assert week.label() == "Mon 16 Nov 00:00 – Mon 23 Nov 00:00 (UTC)"
