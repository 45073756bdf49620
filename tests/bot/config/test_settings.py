"""The environment's settings: a wrong value names its variable, and URLs are made usable."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def test_a_wrong_database_url_names_the_setting():
    with pytest.raises(ConfigError) as caught:
        load_settings({"DATABASE_URL": "mysql://root@localhost/silta"})
    assert caught.value.problems == [
        'DATABASE_URL: "mysql" is not supported; use sqlite or postgresql'
    ]


def test_slack_api_url_gets_its_trailing_slash():
    settings = load_settings({"SLACK_API_URL": "http://127.0.0.1:3000/api"})
    assert settings.slack_api_url == "http://127.0.0.1:3000/api/"
