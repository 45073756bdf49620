"""`/silta`: ack at once, then parse and answer through `respond`, only to the person asking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import answers, blocks, commands, preferences
from bot.admins import is_admin
from bot.ids import Command
from bot.mrkdwn import escape
from bot.services import Services
from bot.store import health
from digests.build import arrivals, build_digest, upcoming
from digests.render import preview_blocks
from handlers.errors import reported

Answer = Callable[[Any, str, Services, WebClient], list[dict[str, Any]]]


def _help(cmd: commands.Help, user: str, services: Services, client: WebClient) -> list[dict]:
    return blocks.help_blocks()


def search_page(cmd: commands.Search, services: Services, offset: int = 0) -> list[dict]:
    with services.session() as session:
        page = answers.search(
            cmd,
            workspace=services.workspace,
            session=session,
            now=services.clock(),
            offset=offset,
        )
        return blocks.search_blocks(
            cmd, page.mentions, services.teams, offset=page.offset, has_more=page.has_more
        )


def _search(cmd: commands.Search, user: str, services: Services, client: WebClient) -> list[dict]:
    return search_page(cmd, services)


def _stats(cmd: commands.Stats, user: str, services: Services, client: WebClient) -> list[dict]:
    with services.session() as session:
        found = answers.period_stats(
            cmd, workspace=services.workspace, session=session, now=services.clock()
        )
    return blocks.stats_blocks(f"Mentions · {cmd.scope or 'all'} · last {cmd.period}", found)


def _top(cmd: commands.Top, user: str, services: Services, client: WebClient) -> list[dict]:
    with services.session() as session:
        found = answers.top(
            cmd, workspace=services.workspace, session=session, now=services.clock()
        )
        return blocks.mentions_list_blocks(
            f"Top mentions · {cmd.team or 'all teams'} · last {cmd.period}",
            found,
            services.teams,
            empty="No mentions in that period.",
        )


def _triage(cmd: commands.Triage, user: str, services: Services, client: WebClient) -> list[dict]:
    with services.session() as session:
        queue = answers.triage(
            cmd, workspace=services.workspace, session=session, now=services.clock()
        )
        return blocks.triage_blocks(cmd, queue.total, queue.newest, services.teams)


def _digest(cmd: commands.Digest, user: str, services: Services, client: WebClient) -> list[dict]:
    """The digests' own builder and renderer, so the preview is exactly what will be posted."""
    workspace, now = services.workspace, services.clock()
    with services.session() as session:
        period = upcoming(cmd.team, workspace=workspace, session=session, now=now)
        found = arrivals(cmd.team, period, session=session)
        built = build_digest(cmd.team, period, workspace=workspace, session=session, arrivals=found)
        return preview_blocks(built)


def _sources(cmd: commands.Sources, user: str, services: Services, client: WebClient) -> list[dict]:
    with services.session() as session:
        rows = health.report(workspace=services.workspace, session=session, now=services.clock())
    return blocks.sources_blocks(rows)


def _settings(
    cmd: commands.Subscriptions, user: str, services: Services, client: WebClient
) -> list[dict]:
    with services.session() as session:
        return blocks.settings_blocks(
            preferences.current(user, session=session, now=services.clock())
        )


def _subscribe(cmd: Any, user: str, services: Services, client: WebClient) -> list[dict]:
    change = (
        preferences.subscribe if isinstance(cmd, commands.Subscribe) else preferences.unsubscribe
    )
    with services.session() as session:
        return blocks.text_blocks(escape(change(user, cmd, session=session)))


def _mute(cmd: Any, user: str, services: Services, client: WebClient) -> list[dict]:
    admin = cmd.everyone and is_admin(user, workspace=services.workspace, client=client)
    with services.session() as session:
        if isinstance(cmd, commands.Mute):
            said = preferences.mute(
                user, cmd, is_admin=admin, session=session, now=services.clock()
            )
        else:
            said = preferences.unmute(user, cmd, is_admin=admin, session=session)
    return blocks.text_blocks(escape(said))


ANSWERS: dict[type, Answer] = {
    commands.Help: _help,
    commands.Search: _search,
    commands.Stats: _stats,
    commands.Top: _top,
    commands.Triage: _triage,
    commands.Digest: _digest,
    commands.Sources: _sources,
    commands.Subscriptions: _settings,
    commands.Subscribe: _subscribe,
    commands.Unsubscribe: _subscribe,
    commands.Mute: _mute,
    commands.Unmute: _mute,
}


def answer(text: str, user: str, services: Services, client: WebClient) -> list[dict]:
    parsed = commands.parse(text, teams=services.teams, sources=services.sources)
    return ANSWERS[type(parsed)](parsed, user, services, client)


def register(app: App, services: Services) -> None:
    @app.command(Command.SILTA)
    def silta(ack: Any, command: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        with reported(respond):
            found = answer(command.get("text") or "", command["user_id"], services, client)
            respond(blocks=found, text="Silta", response_type="ephemeral")
