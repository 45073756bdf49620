"""The list of `/silta` subcommands is the one source of help, usage errors and answers, and
an answer needs only the `Ask` it is handed: no running Slack for what does not call Slack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import Config, Settings
from bot.services import Services
from handlers.subcommands import SUBCOMMANDS, Ask, answer
from tests.builders import workspace

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
NOWHERE = WebClient(base_url="http://127.0.0.1:9/api/")
"""A client that would fail if an answer called Slack."""


@pytest.fixture
def ask(sessions):
    config = Config(settings=Settings(), workspace=workspace(slack={"admins": ["U0BOSS"]}))
    return Ask("U0BOSS", Services(config, sessions), NOWHERE)


def shown(found: list[dict]) -> str:
    return json.dumps(found, ensure_ascii=False)


def test_each_name_is_one_record_whose_usage_starts_with_it():
    names = [subcommand.name for subcommand in SUBCOMMANDS]
    assert len(names) == len(set(names))
    for subcommand in SUBCOMMANDS:
        assert subcommand.usage.startswith(f"/silta {subcommand.name}")


@pytest.mark.parametrize("name", [subcommand.name for subcommand in SUBCOMMANDS])
def test_every_subcommand_is_in_the_readme(name):
    assert f"`/silta {name}" in README


def test_help_lists_every_usage_in_the_lists_order_and_is_what_silta_alone_says(ask):
    (block,) = answer("help", ask)
    text = block["text"]["text"]
    places = [text.index(f"`{subcommand.usage}`") for subcommand in SUBCOMMANDS]
    assert places == sorted(places)
    assert answer("", ask) == answer("help", ask)


def test_an_admin_named_in_silta_toml_mutes_for_everyone_without_slack(ask):
    assert "anyone" in shown(answer("mute spam everyone", ask))
    assert "spam (for everyone)" in shown(answer("subscribe", ask))
    assert "spam" in shown(answer("unmute spam everyone", ask))
