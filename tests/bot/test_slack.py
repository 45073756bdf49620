"""The Bolt app factory and what Slack is told about it: HTTP mode needs a signing secret,
building the app calls only auth.test, and the manifest asks for exactly the scopes used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import Config, Settings
from bot.errors import ConfigError
from bot.sandbox import Sandbox
from bot.slack import SCOPES, create_app
from tests.builders import workspace

ROOT = Path(__file__).resolve().parents[2]


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
        "conversations_history": (*history, "im:history"),
        "conversations_replies": history,
        "files_upload_v2": ("files:write",),
        "views_publish": (),
        "users_info": ("users:read",),
    }
    files = [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py"), *ROOT.glob("digests/*.py")]
    code = "".join(t for p in files if "WebClient" in (t := p.read_text()))
    # Called, or handed over to be called (a paged history walk takes the method itself).
    called = {
        m for m in re.findall(r"client\.(\w+)", code) if callable(getattr(WebClient, m, None))
    }
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
