"""`silta digest` and `silta report`: see a team's digest (or the weekly report) in the
terminal, or send it by hand. Sending goes through the same claim as the scheduler, so a
period already delivered, by hand or on schedule, is never posted again."""

from __future__ import annotations

import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console

from bot.errors import CommandError, ConfigError
from bot.leader import worker_id
from bot.models import utcnow
from bot.runtime import Runtime
from bot.slack_client import Retry, make_client
from digests import periods
from digests.build import arrivals, build_digest
from digests.deliver import Deliverer, Outcome, Plan, plans
from digests.periods import Period
from digests.report import build_report, chart_png
from digests.terminal import digest_renderable, report_renderable

PERIOD_HELP = (
    '"latest" (the last period closed), "previous" (the one before), or a date or time in '
    "the team's time zone: the period delivered then (2026-11-24, 2026-11-24T10:30)."
)


def _plan(runtime: Runtime, team: str, kind: str) -> Plan:
    workspace = runtime.config.workspace
    if team not in workspace.teams:
        names = ", ".join(workspace.teams) or "none"
        raise CommandError(f'no team named "{team}" in silta.toml (teams: {names})')
    found = [p for p in plans(workspace) if p.team == team and p.kind == kind]
    if not found:
        raise CommandError(f'team "{team}" has no weekly report; set report = true for it')
    return found[0]


def choose_period(plan: Plan, value: str, now: datetime) -> Period:
    """The period `--period`/`--week` names, always one that has ended."""
    moment = now - plan.delay
    if value not in ("latest", "previous"):
        moment = _moment(value, plan.zone) - plan.delay
    period = periods.latest_closed(plan.schedule, plan.zone, moment)
    if value == "previous":
        period = periods.closed_by(plan.schedule, plan.zone, period.start)
    if period.end + plan.delay > now:
        raise CommandError(f"{period.label()} has not ended yet; choose an earlier one")
    return period


def _moment(value: str, zone: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f'"{value}" is not a period; use {PERIOD_HELP}') from None
    if "T" not in value and " " not in value:
        parsed = datetime.combine(parsed.date() + timedelta(days=1), time())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(zone))


def _deliverer(runtime: Runtime) -> Deliverer:
    settings = runtime.settings
    if not settings.slack_bot_token:
        raise ConfigError(
            ["SLACK_BOT_TOKEN: missing; set it to send, or use --dry-run to look first"]
        )
    return Deliverer(
        runtime.config.workspace,
        sessions=runtime.sessions,
        client=make_client(settings, retry=Retry.POST_ONCE, timeout=30, max_retries=3),
        holder=f"cli:{worker_id()}",
    )


def _say(outcome: Outcome, what: str) -> None:
    label = outcome.period.label() if outcome.period else ""
    if outcome.status == "sent":
        click.echo(f"Sent the {what} for {label} to {outcome.channel} (ts {outcome.message_ts}).")
    elif outcome.status == "already":
        click.echo(
            f"The {what} for {label} was already delivered ({outcome.detail}, "
            f"ts {outcome.message_ts or '-'}); nothing posted."
        )
    elif outcome.status == "skipped":
        click.echo(
            f"Nothing happened in {label} and this team skips quiet periods; nothing posted."
        )
    elif outcome.status == "pending":
        click.echo(f"The {what} for {label} is being sent ({outcome.detail}); nothing posted.")
        sys.exit(1)
    else:
        click.echo(
            f"The {what} for {label} could not be sent: {outcome.detail}. It stays claimed and "
            "the worker retries it; run this again to retry now.",
            err=True,
        )
        sys.exit(1)


@click.command("digest")
@click.option("--team", required=True, metavar="NAME", help="A team from silta.toml.")
@click.option("--period", default="latest", show_default=True, help=PERIOD_HELP)
@click.option("--dry-run", is_flag=True, help="Show it here instead of sending it.")
@click.pass_obj
def digest(runtime: Runtime, team: str, period: str, dry_run: bool) -> None:
    """A team's digest: shown in the terminal, or sent to its channel once."""
    plan = _plan(runtime, team, "digest")
    chosen = choose_period(plan, period, utcnow())
    runtime.upgraded_engine()
    if dry_run:
        workspace = runtime.config.workspace
        with runtime.sessions() as session:
            found = arrivals(team, chosen, session=session)
            built = build_digest(team, chosen, workspace=workspace, session=session, arrivals=found)
            shown = digest_renderable(built, quiet=workspace.teams[team].quiet)
            Console(width=max(100, Console().width)).print(shown)
        return
    _say(_deliverer(runtime).send(plan, chosen), f"{team} digest")


@click.command("report")
@click.option("--team", metavar="NAME", help="A team with report = true (default: each).")
@click.option("--week", default="latest", show_default=True, help=PERIOD_HELP)
@click.option("--dry-run", is_flag=True, help="Show it here instead of sending it.")
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --dry-run, also write the chart PNG to this file.",
)
@click.pass_obj
def report(
    runtime: Runtime, team: str | None, week: str, dry_run: bool, chart: Path | None
) -> None:
    """The weekly report: figures against last week and the targets, with a chart."""
    workspace = runtime.config.workspace
    teams = [team] if team else [n for n, t in workspace.teams.items() if t.report]
    if not teams:
        raise CommandError("no team has report = true in silta.toml")
    chosen = {name: _plan(runtime, name, "report") for name in teams}
    runtime.upgraded_engine()
    for name, plan in chosen.items():
        period = choose_period(plan, week, utcnow())
        if dry_run:
            _show_report(runtime, name, period, chart)
        else:
            _say(_deliverer(runtime).send(plan, period), f"weekly report for {name}")


def _show_report(runtime: Runtime, team: str, period: Period, chart: Path | None) -> None:
    with runtime.sessions() as session:
        built = build_report(team, period, workspace=runtime.config.workspace, session=session)
    Console(width=max(100, Console().width)).print(report_renderable(built))
    if chart is not None:
        chart.write_bytes(chart_png(built))
        click.echo(f"Wrote the chart to {chart}.")


def register(cli: click.Group) -> None:
    for command in (digest, report):
        cli.add_command(command)
