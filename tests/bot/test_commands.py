from __future__ import annotations

import contextlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import commands
from bot.errors import CommandError
from handlers.subcommands import SUBCOMMANDS, parse

TEAMS = ["support", "product", "sales"]
SOURCES = ["hn", "reddit"]


def p(text: str) -> commands.Command:
    return parse(text, teams=TEAMS, sources=SOURCES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", commands.Help()),
        ("help", commands.Help()),
        ("  HELP ", commands.Help()),
        (
            "search refund broken team:support since:7d sentiment:negative",
            commands.Search(
                words="refund broken", team="support", since="7d", sentiment="negative"
            ),
        ),
        ("search category:sales_lead", commands.Search(category="sales_lead")),
        ('search "double charged" source:hn', commands.Search(words="double charged", source="hn")),
        ("search https://acme.io/x", commands.Search(words="https://acme.io/x")),
        ("stats", commands.Stats()),
        ("stats 30d support", commands.Stats(scope="support", period="30d")),
        ("stats support_issue 24h", commands.Stats(scope="support_issue", period="24h")),
        ("top", commands.Top()),
        ("top sales 7d", commands.Top(team="sales", period="7d")),
        ("triage", commands.Triage()),
        ("triage 30d sales", commands.Triage(team="sales", period="30d")),
        ("digest support", commands.Digest(team="support")),
        ("sources", commands.Sources()),
        ("subscribe", commands.Subscriptions()),
        ("subscribe urgent", commands.Subscribe("urgent")),
        ("subscribe sales_lead", commands.Subscribe("category", "sales_lead")),
        ('subscribe "Refund Policy"', commands.Subscribe("keyword", "refund policy")),
        ("subscribe “outage”", commands.Subscribe("keyword", "outage")),
        ("unsubscribe urgent", commands.Unsubscribe("urgent")),
        ("mute @troll", commands.Mute("@troll")),
        ("mute crypto giveaway 7d", commands.Mute("crypto giveaway", "7d")),
        ("mute spam everyone", commands.Mute("spam", everyone=True)),
        ("unmute spam", commands.Unmute("spam")),
    ],
)
def test_valid_commands(text, expected):
    assert p(text) == expected


@pytest.mark.parametrize(
    ("text", "hint", "usage"),
    [
        ("serch refund", "did you mean `search`", "/silta search <words>"),
        ("search refund tem:support", "did you mean `team:`", "/silta search"),
        ("search refund team:suport", 'did you mean "support"', "/silta search"),
        ("search refund category:bug", "is no category", "/silta search"),
        ("search refund since:soon", "not a duration", "/silta search"),
        ("search", "Search for what?", "/silta search"),
        ("stats 90d", '"90d" is not a team', "/silta stats"),
        ("top 30d", '"30d" is not a team', "/silta top"),
        ("digest", "Name one team", "/silta digest <team>"),
        ("digest suport", 'did you mean "support"', "/silta digest"),
        ("sources all", "takes nothing", "/silta sources"),
        ("subscribe urgnt", 'looks like "urgent"', "/silta subscribe"),
        ("unsubscribe", "Say what to stop", "/silta unsubscribe"),
        ("mute", "Say what to mute", "/silta mute"),
    ],
)
def test_mistakes_answer_with_the_closest_usage(text, hint, usage):
    with pytest.raises(CommandError) as caught:
        p(text)
    assert hint in str(caught.value)
    assert f"Usage: `{usage}" in str(caught.value)


def test_unknown_word_lists_every_command():
    with pytest.raises(CommandError, match=r"`search`.*`sources`"):
        p("xyzzy")


def test_search_text_round_trips_for_the_more_button():
    query = p("search refund team:support since:7d")
    assert isinstance(query, commands.Search)
    assert p(f"search {query.text()}") == query


@given(st.text(max_size=300))
def test_any_text_is_a_command_or_a_command_error(text):
    try:
        result = p(text)
    except CommandError as exc:
        assert "`" in str(exc)
    else:
        assert isinstance(result, commands.Command)


@given(
    st.sampled_from([subcommand.name for subcommand in SUBCOMMANDS]),
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20), max_size=6
    ),
)
def test_any_arguments_to_a_real_command_never_crash(name, args):
    with contextlib.suppress(CommandError):
        p(" ".join([name, *args]))


@given(
    st.sampled_from(SUBCOMMANDS),
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20), max_size=6
    ),
)
def test_a_mistake_shows_the_usage_of_its_own_subcommand_record(subcommand, args):
    try:
        p(" ".join([subcommand.name, *args]))
    except CommandError as exc:
        assert str(exc).endswith(f"\nUsage: `{subcommand.usage}`")


@dataclass(frozen=True)
class Record:
    name: str
    usage: str


def test_reading_needs_only_the_names_and_usages_it_is_handed():
    made_up = [Record("greet", "/silta greet <name>"), Record("wave", "/silta wave")]
    found, words = commands.read('wave at "the team"', made_up, teams=TEAMS)
    assert found is made_up[1]
    assert words == commands.Words(
        "wave", "/silta wave", ("at", "the team"), teams=tuple(TEAMS), quoted=True
    )
    assert commands.read("", made_up)[0] is made_up[0]
    with pytest.raises(CommandError) as caught:
        commands.read("gret bob", made_up)
    assert str(caught.value) == (
        "There is no `/silta gret`; did you mean `greet`?\nUsage: `/silta greet <name>`"
    )


def test_the_grammar_loads_without_slack_handlers_or_digests():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bot.commands; print(sorted({m.split('.')[0] for m in sys.modules}))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for package in ("slack_sdk", "slack_bolt", "handlers", "digests"):
        assert f"'{package}'" not in loaded
