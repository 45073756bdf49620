from __future__ import annotations

import re
from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError

from bot.config import Config, Settings
from bot.errors import ConfigError
from bot.sandbox import Sandbox
from bot.slack import SCOPES, create_app, make_client
from tests.slack_fixtures import workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def slack():
    with Sandbox() as fake:
        yield fake


def client(slack: Sandbox, **kwargs):
    return make_client(Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url), **kwargs)


def test_the_client_goes_to_slack_api_url(slack):
    assert client(slack).auth_test()["team_id"] == "T0FAKE"
    (call,) = slack.calls_to("auth.test")
    assert call.headers["authorization"] == f"Bearer {slack.token}"


def test_429_is_retried_after_retry_after(slack):
    slack.fail("chat.postMessage", status=429, retry_after=1)
    assert client(slack).chat_postMessage(channel="#general", text="hi")["ok"]
    first, second = slack.calls_to("chat.postMessage")
    assert second.at - first.at >= 1.0


@pytest.mark.parametrize("status", [500, 503, 0], ids=["500", "503", "dropped-connection"])
def test_server_errors_and_dropped_connections_are_retried(slack, status):
    slack.fail("chat.postMessage", status=status)
    assert client(slack).chat_postMessage(channel="#general", text="hi")["ok"]
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_retries_give_up_and_slack_errors_are_not_retried(slack):
    slack.fail("chat.postMessage", status=500, times=5)
    with pytest.raises(SlackApiError):
        client(slack, max_retries=1).chat_postMessage(channel="#general", text="hi")
    for error in ("channel_not_found", "not_in_channel", "invalid_auth"):
        slack.fail("chat.update", error=error)
        with pytest.raises(SlackApiError, match=error):
            client(slack).chat_update(channel="C0GENERAL", ts="1.1", text="x")


def test_the_fake_answers_like_slack(slack):
    web = client(slack)
    with pytest.raises(SlackApiError, match="channel_not_found"):
        web.chat_postMessage(channel="#nowhere", text="x")
    slack.add_channel("C0PRIVATE", "private", member=False)
    with pytest.raises(SlackApiError, match="not_in_channel"):
        web.chat_postMessage(channel="C0PRIVATE", text="x")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        make_client(Settings(slack_bot_token="xoxb-wrong", slack_api_url=slack.api_url)).auth_test()
    dm = web.conversations_open(users="U0A")["channel"]["id"]
    posted = web.chat_postMessage(channel=dm, text="one")
    web.chat_update(channel=dm, ts=posted["ts"], text="two")
    assert [m["text"] for m in web.conversations_history(channel=dm)["messages"]] == ["two"]
    assert web.chat_postEphemeral(channel="C0GENERAL", user="U0A", text="psst")["ok"]
    assert web.views_publish(user_id="U0A", view={"type": "home", "blocks": []})["ok"]
    slack.add_user("U0A", admin=True)
    assert web.users_info(user="U0A")["user"]["is_admin"] is True


def config(slack: Sandbox, **settings) -> Config:
    values = {"slack_bot_token": slack.token, "slack_api_url": slack.api_url, **settings}
    return Config(settings=Settings(**values), workspace=workspace())


def test_http_mode_refuses_to_start_without_a_signing_secret(slack):
    from sqlalchemy.orm import sessionmaker

    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        create_app(config(slack), sessions=sessionmaker())


def test_building_the_app_calls_nothing_but_auth_test(slack):
    from sqlalchemy.orm import sessionmaker

    create_app(config(slack, slack_signing_secret="s"), sessions=sessionmaker())
    assert {c.method for c in slack.calls} <= {"auth.test"}


def manifest_scopes() -> set[str]:
    text = (ROOT / "manifest.yml").read_text()
    block = text.split("    bot:\n", 1)[1]
    return set(re.findall(r"^      - (\S+)$", block.split("settings:")[0], re.MULTILINE))


def test_the_manifest_asks_for_exactly_the_scopes_silta_uses():
    assert manifest_scopes() == set(SCOPES)


def test_the_code_calls_only_methods_those_scopes_allow():
    history = ("channels:history", "groups:history")
    allowed = {
        "auth_test": (),
        "chat_postMessage": ("chat:write",),
        "chat_update": ("chat:write",),
        "chat_postEphemeral": ("chat:write",),
        "conversations_open": ("im:write",),
        "conversations_history": history,
        "conversations_replies": history,
        "files_upload_v2": ("files:write",),
        "views_publish": (),
        "users_info": ("users:read",),
    }
    files = [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py"), *ROOT.glob("digests/*.py")]
    code = "".join(t for p in files if "WebClient" in (t := p.read_text()))
    called = set(re.findall(r"client\.(\w+)\(", code))
    assert called <= set(allowed), called - set(allowed)
    needed = {scope for method in called for scope in allowed[method]}
    assert needed == set(SCOPES) - {"commands", "chat:write.public"}


def test_the_manifest_has_the_command_events_interactivity_and_socket_mode():
    text = (ROOT / "manifest.yml").read_text()
    assert "command: /silta" in text
    assert "- app_home_opened" in text
    assert "interactivity:\n    is_enabled: true" in text
    assert "socket_mode_enabled: true" in text
    assert text.count("/slack/events") == 3


def test_procfile_migrates_on_release_and_runs_web_and_worker():
    lines = (ROOT / "Procfile").read_text().splitlines()
    assert lines == ["release: silta db upgrade", "web: silta serve", "worker: silta worker"]
