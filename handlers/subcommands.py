"""Every `/silta` subcommand, each one record in `SUBCOMMANDS`: its name, the usage that help
and its usage errors show, the parser that reads it (`bot.commands`) and the answer that finds
what it asks (`bot.answers`, the stores, the digests) and draws it (`bot.blocks`).

The list lives in handlers/ because answers reach Slack and the digests, which bot/ must not
import; the parsers it names stay pure in `bot.commands`, which is handed the list to read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from slack_sdk import WebClient

from bot import answers, blocks, commands, preferences
from bot.admins import is_admin
from bot.mrkdwn import escape
from bot.services import Services
from bot.store import health
from digests.build import arrivals, build_digest, upcoming
from digests.render import preview_blocks

C = TypeVar("C")
Blocks = list[dict[str, Any]]


@dataclass(frozen=True)
class Ask:
    """Who asked, and what an answer may reach: each answer takes what it needs from it."""

    user: str
    services: Services
    client: WebClient


@dataclass(frozen=True)
class Subcommand(Generic[C]):
    """One `/silta` subcommand. Written `Subcommand[TheCommand](…)`, so that a type checker
    sees that the answer takes what the parser gives."""

    name: str
    usage: str
    parse: Callable[[commands.Words], C]
    answer: Callable[[C, Ask], Blocks]

    def run(self, words: commands.Words, ask: Ask) -> Blocks:
        return self.answer(self.parse(words), ask)


def _help(_command: commands.Help, _ask: Ask) -> Blocks:
    return blocks.help_blocks([subcommand.usage for subcommand in SUBCOMMANDS])


def search_page(command: commands.Search, services: Services, offset: int = 0) -> Blocks:
    """One page of results: the first for `/silta search`, any other for its More button."""
    with services.session() as session:
        page = answers.search(
            command,
            workspace=services.workspace,
            session=session,
            now=services.clock(),
            offset=offset,
        )
        return blocks.search_blocks(
            command, page.mentions, services.teams, offset=page.offset, has_more=page.has_more
        )


def _search(command: commands.Search, ask: Ask) -> Blocks:
    return search_page(command, ask.services)


def _stats(command: commands.Stats, ask: Ask) -> Blocks:
    services = ask.services
    with services.session() as session:
        found = answers.period_stats(
            command, workspace=services.workspace, session=session, now=services.clock()
        )
    title = f"Mentions · {command.scope or 'all'} · last {command.period}"
    return blocks.stats_blocks(title, found)


def _top(command: commands.Top, ask: Ask) -> Blocks:
    services = ask.services
    with services.session() as session:
        found = answers.top(
            command, workspace=services.workspace, session=session, now=services.clock()
        )
        return blocks.mentions_list_blocks(
            f"Top mentions · {command.team or 'all teams'} · last {command.period}",
            found,
            services.teams,
            empty="No mentions in that period.",
        )


def _triage(command: commands.Triage, ask: Ask) -> Blocks:
    services = ask.services
    with services.session() as session:
        queue = answers.triage(
            command, workspace=services.workspace, session=session, now=services.clock()
        )
        return blocks.triage_blocks(command, queue.total, queue.newest, services.teams)


def _digest(command: commands.Digest, ask: Ask) -> Blocks:
    """The digests' own builder and renderer, so the preview is exactly what will be posted."""
    workspace, now = ask.services.workspace, ask.services.clock()
    with ask.services.session() as session:
        period = upcoming(command.team, workspace=workspace, session=session, now=now)
        found = arrivals(command.team, period, session=session)
        built = build_digest(
            command.team, period, workspace=workspace, session=session, arrivals=found
        )
        return preview_blocks(built)


def _sources(_command: commands.Sources, ask: Ask) -> Blocks:
    services = ask.services
    with services.session() as session:
        rows = health.report(workspace=services.workspace, session=session, now=services.clock())
    return blocks.sources_blocks(rows)


def _subscribe(command: commands.Subscriptions | commands.Subscribe, ask: Ask) -> Blocks:
    """`subscribe` alone lists what the person gets and has muted."""
    with ask.services.session() as session:
        if isinstance(command, commands.Subscriptions):
            now = ask.services.clock()
            return blocks.settings_blocks(preferences.current(ask.user, session=session, now=now))
        return blocks.text_blocks(escape(preferences.subscribe(ask.user, command, session=session)))


def _unsubscribe(command: commands.Unsubscribe, ask: Ask) -> Blocks:
    with ask.services.session() as session:
        said = preferences.unsubscribe(ask.user, command, session=session)
        return blocks.text_blocks(escape(said))


def _mute(command: commands.Mute, ask: Ask) -> Blocks:
    admin = _may_act_for_everyone(command.everyone, ask)
    with ask.services.session() as session:
        said = preferences.mute(
            ask.user, command, is_admin=admin, session=session, now=ask.services.clock()
        )
    return blocks.text_blocks(escape(said))


def _unmute(command: commands.Unmute, ask: Ask) -> Blocks:
    admin = _may_act_for_everyone(command.everyone, ask)
    with ask.services.session() as session:
        said = preferences.unmute(ask.user, command, is_admin=admin, session=session)
    return blocks.text_blocks(escape(said))


def _may_act_for_everyone(everyone: bool, ask: Ask) -> bool:
    """Only a mute for everyone asks whether the person is an admin (maybe asking Slack),
    and it asks before the session opens, so no transaction waits on Slack."""
    return everyone and is_admin(ask.user, workspace=ask.services.workspace, client=ask.client)


SUBCOMMANDS: tuple[Subcommand[Any], ...] = (
    Subcommand[commands.Help]("help", "/silta help", commands.parse_help, _help),
    Subcommand[commands.Search](
        "search",
        "/silta search <words> [team:<name>] [category:<c>] [source:<s>] [since:7d] "
        "[sentiment:negative]",
        commands.parse_search,
        _search,
    ),
    Subcommand[commands.Stats](
        "stats", "/silta stats [team|category] [24h|7d|30d]", commands.parse_stats, _stats
    ),
    Subcommand[commands.Top]("top", "/silta top [team] [24h|7d]", commands.parse_top, _top),
    Subcommand[commands.Triage](
        "triage", "/silta triage [team] [24h|7d|30d]", commands.parse_triage, _triage
    ),
    Subcommand[commands.Digest]("digest", "/silta digest <team>", commands.parse_digest, _digest),
    Subcommand[commands.Sources]("sources", "/silta sources", commands.parse_sources, _sources),
    Subcommand[commands.Subscriptions | commands.Subscribe](
        "subscribe",
        '/silta subscribe [urgent|<category>|"<keyword>"]',
        commands.parse_subscribe,
        _subscribe,
    ),
    Subcommand[commands.Unsubscribe](
        "unsubscribe",
        '/silta unsubscribe urgent|<category>|"<keyword>"',
        commands.parse_unsubscribe,
        _unsubscribe,
    ),
    Subcommand[commands.Mute](
        "mute", "/silta mute <term|@author> [7d] [everyone]", commands.parse_mute, _mute
    ),
    Subcommand[commands.Unmute](
        "unmute", "/silta unmute <term|@author> [everyone]", commands.parse_unmute, _unmute
    ),
)
"""The single source of `/silta`: help lists these usages in this order, a mistyped name is
matched against these names, an empty `/silta` is the first (help), and each record's parser
and answer do the rest.

To add a subcommand: append one record here and write what it names, its command dataclass
(one more member of `Command`) and parser in `bot/commands.py` and its answer above, which
calls a query in `bot/answers.py` and a view in `bot/blocks.py` when no existing one fits;
then list it in the README's `/silta` section, which a test checks. Nothing else names
subcommands: help, usage errors, did-you-mean and dispatch all read this."""


def parse(text: str, *, teams: Sequence[str] = (), sources: Sequence[str] = ()) -> commands.Command:
    """The typed command a text asks for, as `/silta` would read it."""
    subcommand, words = commands.read(text, SUBCOMMANDS, teams=teams, sources=sources)
    return subcommand.parse(words)


def answer(text: str, ask: Ask) -> Blocks:
    services = ask.services
    subcommand, words = commands.read(
        text, SUBCOMMANDS, teams=services.teams, sources=services.sources
    )
    return subcommand.run(words, ask)
