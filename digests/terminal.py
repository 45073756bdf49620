"""Digests and reports for a terminal (`silta digest --dry-run`), with rich: the same content
as the Slack messages, laid out to be read in a console."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.taxonomy import LABELS
from digests.build import TeamDigest
from digests.render import change_text
from digests.report import WeeklyReport

EXCERPT = 240


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def digest_renderable(digest: TeamDigest, *, quiet: str = "line") -> RenderableType:
    title = f"{digest.team} digest · {digest.period.label()} · to {digest.channel}"
    if digest.quiet:
        note = "skipped: nothing is posted" if quiet == "skip" else "posted as one line"
        return Panel(
            Text(f"Nothing new ({digest.previous_total} the period before); {note}."),
            title=title,
        )
    counts = Table(show_edge=False, box=None, pad_edge=False)
    for column in ("category", "mentions", "before", "change"):
        counts.add_column(column, justify="left" if column == "category" else "right")
    for category, count in digest.counts.items():
        counts.add_row(
            LABELS.get(category, category),
            str(count),
            str(digest.previous.get(category, 0)),
            change_text(digest.change(category)),
        )
    counts.add_row(
        "[bold]total",
        f"[bold]{digest.total}",
        str(digest.previous_total),
        change_text(digest.change()),
    )
    mood = " · ".join(f"{k} {v}" for k, v in digest.sentiment.items())
    parts: list[RenderableType] = [counts, Text(f"Sentiment: {mood}"), Text("")]
    for number, story in enumerate(digest.stories, start=1):
        lead = story.lead
        byline = " · ".join(
            p
            for p in (
                lead.source.name,
                lead.author_name or lead.author or "",
                f"{lead.published_at:%Y-%m-%d %H:%M} UTC",
                f"urgency {lead.urgency or 0:.0%}",
            )
            if p
        )
        parts.append(Text(f"{number}. {byline}", style="bold"))
        parts.append(Text("   " + _excerpt(f"{lead.title or ''} {lead.text}")))
        for source, url in story.links:
            parts.append(Text(f"   {source}: {url or '(no link)'}", style="cyan"))
    if digest.acknowledged:
        parts.append(Text("\nAcknowledged:", style="bold"))
        for ack in digest.acknowledged:
            parts.append(
                Text(
                    f"  {ack.user_id} at {ack.at:%Y-%m-%d %H:%M} UTC: "
                    f"{_excerpt(ack.mention.title or ack.mention.text, 100)}"
                )
            )
    parts.append(Text(f"\nSee everything: {digest.search}", style="dim"))
    return Panel(Group(*parts), title=title)


def report_renderable(report: WeeklyReport) -> RenderableType:
    volume = Table(title="Mentions per team", title_justify="left", show_edge=False)
    for column in ("team", "this week", "week before", "per day"):
        volume.add_column(column, justify="left" if column == "team" else "right")
    for team, (now, before) in report.volume.items():
        daily = " ".join(str(n) for n in report.per_team_daily.get(team, []))
        volume.add_row(team, str(now), str(before), daily)
    figures = Table(title="Figures", title_justify="left", show_edge=False)
    for column in ("figure", "this week", "week before", "change", "target", ""):
        figures.add_column(column, justify="left" if column == "figure" else "right")
    for figure in report.figures:
        met = {True: "[green]met", False: "[red]missed", None: ""}[figure.met]
        figures.add_row(
            figure.name,
            figure.show(figure.value),
            figure.show(figure.previous),
            figure.delta_text(),
            figure.show(figure.target) if figure.target is not None else "-",
            met,
        )
    title = f"Weekly report · {report.period.label()} · to {report.channel}"
    return Panel(Group(volume, Text(""), figures), title=title)
