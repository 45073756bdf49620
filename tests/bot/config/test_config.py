"""What a person sees when the workspace file or the environment is wrong, through
`bot.config.load_config`: every problem at once, each naming its key and the fix."""

from __future__ import annotations

import textwrap

import pytest

from bot.cli.setup import starter_config
from bot.config import load_config
from bot.errors import ConfigError
from bot.sources import KINDS

VALID = """
[company]
name = "Acme"
terms = ["Acme"]

[teams.support]
channel = "#support-social"
categories = ["support_issue"]
schedule = "0 9 * * 1-5"
timezone = "Europe/Helsinki"

[[sources]]
name = "hn"
kind = "hackernews"
query = "acme"
every = "5m"
"""


def problems(tmp_path, toml: str, **env: str) -> list[str]:
    path = tmp_path / "silta.toml"
    path.write_text(textwrap.dedent(toml), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config({"SILTA_CONFIG": str(path), **env})
    return caught.value.problems


def test_the_starter_file_is_valid(tmp_path):
    path = tmp_path / "silta.toml"
    path.write_text(starter_config(), encoding="utf-8")
    config = load_config({"SILTA_CONFIG": str(path)})
    assert set(config.workspace.teams) == {"support", "product", "hr", "sales", "marketing"}
    assert config.settings.database_url == "sqlite:///silta.db"


def test_a_valid_file_loads_with_its_defaults(tmp_path):
    path = tmp_path / "silta.toml"
    path.write_text(VALID, encoding="utf-8")
    config = load_config({"SILTA_CONFIG": str(path)})
    assert config.workspace.sources[0].interval.total_seconds() == 300
    assert config.workspace.sources[0].match == "brand"
    assert config.settings.slack_api_url == "https://slack.com/api/"


def test_malformed_toml_names_line_and_column(tmp_path):
    [problem] = problems(tmp_path, '[company]\nname = "Acme\n')
    assert "not valid TOML" in problem
    assert "line 2" in problem and "column" in problem


def test_a_misspelt_key_suggests_the_right_one_and_the_missing_one_is_named(tmp_path):
    found = problems(tmp_path, VALID.replace('channel = "#support-social"', 'chanel = "#x"'))
    assert any('teams.support.chanel: unknown key; did you mean "channel"?' in p for p in found)
    assert any("teams.support.channel: missing; add the channel to post to" in p for p in found)


def test_every_problem_is_listed_at_once(tmp_path):
    toml = (
        VALID.replace('"0 9 * * 1-5"', '"every morning"')
        .replace('"Europe/Helsinki"', '"Europe/Helsinky"')
        .replace('every = "5m"', 'every = "often"')
        .replace('["support_issue"]', '["suport_issue"]')
    )
    found = problems(tmp_path, toml, LOG_LEVEL="loud", SLACK_BOT_TOKEN="xoxp-1")
    text = "\n".join(found)
    assert 'teams.support.schedule: "every morning" is not a cron expression' in text
    assert '"Europe/Helsinky" is not a time zone; did you mean "Europe/Helsinki"?' in text
    assert "sources[hn].every: Value" not in text
    assert 'sources[hn].every: "often" is not a duration' in text
    assert '"suport_issue" is not a category; did you mean "support_issue"?' in text
    assert 'LOG_LEVEL: "loud" is not a log level' in text
    assert "SLACK_BOT_TOKEN: a bot token starts with xoxb-" in text
    assert len(found) >= 5


def test_a_bad_cron_line_suggests_a_working_one(tmp_path):
    [problem] = problems(tmp_path, VALID.replace('"0 9 * * 1-5"', '"every morning"'))
    assert problem.endswith(
        'teams.support.schedule: "every morning" is not a cron expression; try "0 9 * * 1-5" '
        "(09:00 on weekdays)"
    )


def test_source_keys_must_fit_their_kind(tmp_path):
    toml = VALID.replace('query = "acme"', 'url = "https://example.com/feed"')
    [problem] = problems(tmp_path, toml)
    assert 'sources[hn]: "query" is required for kind "hackernews"' in problem
    assert '"url" does not apply to kind "hackernews"' in problem


def test_source_names_are_unique(tmp_path):
    toml = VALID + '\n[[sources]]\nname = "hn"\nkind = "rss"\nurl = "https://example.com/f"\n'
    [problem] = problems(tmp_path, toml)
    assert "source names must be unique; hn appear" in problem


def test_env_secrets_resolve_or_name_the_variable(tmp_path):
    toml = VALID + '\n[[sources]]\nname = "gh"\nkind = "github"\nquery = "acme"\ntoken = "env:GH"\n'
    [problem] = problems(tmp_path, toml)
    assert "sources[1].token: env:GH but GH is not set; export GH=" in problem
    path = tmp_path / "silta.toml"
    config = load_config({"SILTA_CONFIG": str(path), "GH": "ghp_secret"})
    assert config.workspace.source("gh").token == "ghp_secret"


def test_a_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config({"SILTA_CONFIG": str(tmp_path / "nope.toml")})
    assert "run `silta init`" in caught.value.problems[0]


def source_problems(tmp_path, source: str) -> list[str]:
    return problems(tmp_path, VALID + "\n[[sources]]\n" + textwrap.dedent(source))


def test_an_unknown_kind_suggests_the_closest_or_lists_them_all(tmp_path):
    [close] = source_problems(tmp_path, 'name = "blog"\nkind = "rsss"\nurl = "https://a.example/f"')
    assert close.endswith('sources[blog].kind: "rsss" is not allowed; did you mean "rss"?')
    [far] = source_problems(tmp_path, 'name = "blog"\nkind = "myspace"')
    names = [repr(kind.name) for kind in KINDS]
    assert far.endswith(
        f'sources[blog].kind: "myspace" is not allowed; input should be '
        f"{', '.join(names[:-1])} or {names[-1]}"
    )
    assert "'rss', 'hackernews', 'reddit'" in far


def test_a_missing_kind_says_what_to_write(tmp_path):
    [problem] = source_problems(tmp_path, 'name = "blog"\nurl = "https://a.example/f"')
    assert problem.endswith('sources[blog].kind: missing; add what it is, e.g. kind = "rss"')


def test_missing_keys_and_the_kinds_rules_are_listed_on_one_line(tmp_path):
    [problem] = source_problems(tmp_path, 'name = "yt"\nkind = "youtube"\nquery = "acme"')
    assert problem.endswith(
        'sources[yt]: "api_key" is required for kind "youtube"; "query" does not apply to kind '
        '"youtube"; youtube needs "channel_id" or "video_id"'
    )


def test_either_or_rules_of_a_kind_name_both_keys(tmp_path):
    [reddit] = source_problems(tmp_path, 'name = "r"\nkind = "reddit"')
    assert reddit.endswith('sources[r]: reddit needs "query" or "subreddit"')
    [bluesky] = source_problems(tmp_path, 'name = "b"\nkind = "bluesky"\nquery = "a"\nhandle = "h"')
    assert bluesky.endswith(
        'sources[b]: bluesky needs both "handle" and "app_password", or neither'
    )
    [mastodon] = source_problems(tmp_path, 'name = "m"\nkind = "mastodon"')
    assert mastodon.endswith(
        'sources[m]: mastodon needs "tag" or "query" (the instance is "base_url")'
    )


def test_a_misspelt_source_key_suggests_one_of_its_kinds_keys(tmp_path):
    found = source_problems(tmp_path, 'name = "gh"\nkind = "github"\nquery = "a"\ntokn = "t"')
    assert found == [
        f'{tmp_path / "silta.toml"}: sources[gh].tokn: unknown key; did you mean "token"?'
    ]
    [listed] = source_problems(
        tmp_path, 'name = "feed"\nkind = "rss"\nurl = "https://a.example/"\nzzz = 1'
    )
    assert listed.endswith(
        "sources[feed].zzz: unknown key; known keys: name, kind, every, match, base_url, timeout, "
        "enabled, url"
    )


def test_a_source_value_is_checked_under_its_own_key(tmp_path):
    [problem] = source_problems(tmp_path, 'name = "feed"\nkind = "rss"\nurl = "feed.xml"')
    assert problem.endswith(
        'sources[feed].url: "feed.xml" is not an http(s) URL, e.g. "https://example.com/feed"'
    )
