"""What `bot.wiring` puts together: every family of the worker's jobs, the web app with Slack's
listeners (or without Slack), and the commands of features outside bot/."""

from __future__ import annotations

import click
import httpx

from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.wiring import add_commands, runtime_app, worker_jobs
from tests.builders import workspace_file
from tests.slack import SECRET, command_body, post_signed, serving

TEAMS = {
    "support": {"channel": "#support", "categories": ["support_issue"], "schedule": "0 * * * *"}
}
HN = {"name": "hn", "kind": "hackernews", "query": "acme", "base_url": "http://127.0.0.1:9"}


def runtime(tmp_path, **env: str) -> Runtime:
    workspace_file(tmp_path / "silta.toml", teams=TEAMS, sources=[HN])
    return Runtime(
        {
            "SILTA_CONFIG": str(tmp_path / "silta.toml"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'silta.db'}",
            **env,
        }
    )


def test_the_worker_runs_every_family_of_jobs(tmp_path):
    jobs = worker_jobs(runtime(tmp_path, SLACK_BOT_TOKEN="xoxb-1"))
    assert sorted(job.id for job in jobs) == [
        "alerts",
        "classify:retrain",
        "digest:support",
        "digests:sweep",
        "poll:hn",
    ]


def test_without_a_bot_token_the_worker_only_polls_and_retrains(tmp_path):
    assert sorted(job.id for job in worker_jobs(runtime(tmp_path))) == [
        "classify:retrain",
        "poll:hn",
    ]


def test_the_web_app_answers_slack_with_the_listeners_on_the_runtimes_services(tmp_path):
    with Sandbox() as slack:
        served = runtime(
            tmp_path,
            SLACK_BOT_TOKEN=slack.token,
            SLACK_API_URL=slack.api_url,
            SLACK_SIGNING_SECRET=SECRET,
        )
        served.upgraded_engine()
        assert served.services.clock is served.clock
        assert served.services.sessions is served.sessions
        with serving(runtime_app(served)) as url:
            body = command_body("help", response_url=slack.response_url("help"))
            assert post_signed(f"{url}/slack/events", body).status_code == 200
            (answer,) = slack.wait_for("respond", path="/respond/help")
        assert answer.params["response_type"] == "ephemeral"
        served.engine.dispose()


def test_slack_is_left_out_without_a_signing_secret_or_over_socket_mode(tmp_path):
    with Sandbox() as slack:
        served = runtime(tmp_path, SLACK_BOT_TOKEN=slack.token, SLACK_API_URL=slack.api_url)
        for app in (runtime_app(served), runtime_app(served, slack=False)):
            with serving(app) as url:
                assert httpx.post(f"{url}/slack/events").status_code == 404
        assert slack.calls == []


def test_the_digest_commands_join_the_group():
    group = click.Group()
    add_commands(group)
    assert sorted(group.commands) == ["digest", "report"]
