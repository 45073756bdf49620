"""The weekly report: is Silta doing its job, in numbers a marketing lead can set targets
for? Volume per team, share of voice against the competitors, the sentiment trend, urgent
alerts and how fast they were acknowledged, leads surfaced, and the correction rate (the share
of mentions people moved: Silta's real error rate in production), each against the week before
and the target in `[targets]`, with a PNG of mentions per team per day.

Two weeks are read in one grouped query; share of voice reads the week's texts once.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from bot.config import Workspace
from bot.store import reports
from digests.periods import Period

REPORT_SCHEDULE = "0 0 * * 1"
"""Weeks run from Monday midnight in the reporting team's time zone…"""
REPORT_DELAY = timedelta(hours=9)
"""…and the report on the week just ended is sent at 09:00 on Monday."""
REPORT_FIRES = "0 9 * * 1"

Unit = Literal["count", "share", "minutes", "net"]


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None
    previous: float | None
    target: float | None = None
    unit: Unit = "count"
    higher_is_better: bool = True

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def show(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        if self.unit == "share":
            return f"{value:.1%}"
        if self.unit == "minutes":
            return f"{value:,.0f} min"
        if self.unit == "net":
            return f"{value:+.0f}"
        return f"{value:,.0f}"

    def delta_text(self) -> str:
        if self.value is None or self.previous is None:
            return "n/a"
        delta = self.value - self.previous
        arrow = "▲" if delta > 0 else ("▼" if delta < 0 else "=")
        if self.unit == "share":
            return f"{arrow} {abs(delta) * 100:.1f} pts"
        if self.unit in ("net", "minutes") or not self.previous:
            return f"{arrow} {abs(delta):,.0f}"
        return f"{arrow} {abs(delta) / self.previous:.0%}"


@dataclass(frozen=True)
class WeeklyReport:
    team: str
    channel: str
    period: Period
    days: list[date]
    volume: dict[str, tuple[int, int]]
    """Per team: (this week, the week before)."""
    per_team_daily: dict[str, list[int]]
    sentiment_daily: list[float | None]
    """Net sentiment per day, from -1 (all negative) to +1; None on a day without mentions
    whose sentiment could be read."""
    figures: list[Figure] = field(default_factory=list)

    def figure(self, name: str) -> Figure:
        return next(f for f in self.figures if f.name == name)


def day_edges(period: Period) -> list[datetime]:
    """Local midnights inside the period, as UTC: the team's days, DST included."""
    start = period.local(period.start)
    edges: list[datetime] = []
    day = start.date() + timedelta(days=1)
    while True:
        edge = datetime.combine(day, datetime.min.time(), tzinfo=start.tzinfo)
        if edge >= period.local(period.end):
            return edges
        edges.append(edge)
        day += timedelta(days=1)


@dataclass
class _Week:
    per_category: dict[str | None, int] = field(default_factory=dict)
    per_day_category: dict[tuple[int, str | None], int] = field(default_factory=dict)
    sentiment_sum: list[float] = field(default_factory=list)
    rated: list[int] = field(default_factory=list)


def _fold(rows: Iterable[reports.DayCount], days: int) -> tuple[_Week, _Week]:
    """Split the two weeks' rows (days 0..days-1 the week before, then this week)."""
    before, now = _Week(), _Week()
    for week in (before, now):
        week.sentiment_sum, week.rated = [0.0] * days, [0] * days
    for row in rows:
        week, day = (before, row.day) if row.day < days else (now, row.day - days)
        week.per_category[row.category] = week.per_category.get(row.category, 0) + row.mentions
        week.per_day_category[(day, row.category)] = row.mentions
        week.sentiment_sum[day] += row.sentiment_sum
        week.rated[day] += row.rated
    return before, now


def _net(week: _Week) -> float | None:
    rated = sum(week.rated)
    return None if not rated else 100 * sum(week.sentiment_sum) / rated


def _naming(terms: Sequence[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(t.strip()) for t in terms if t.strip())
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def share_of_voice(workspace: Workspace, period: Period, *, session: Session) -> float | None:
    """Mentions naming the company over mentions naming it or any competitor. Brand-matched
    sources only store posts that name the company, so competitors count where a post
    compares (and wherever a source runs with `match = "all"`)."""
    competitors = workspace.company.competitors
    if not competitors:
        return None
    ours, theirs = _naming(workspace.company.terms), _naming(competitors)
    own = other = 0
    for title, text in reports.texts(period.start, period.end, session=session):
        body = f"{title}\n{text}"
        own += bool(ours.search(body))
        other += bool(theirs.search(body))
    return None if not (own + other) else own / (own + other)


def _ack_median(alerts: list[tuple[datetime, datetime | None]]) -> float | None:
    waits = [(acked - sent) / timedelta(minutes=1) for sent, acked in alerts if acked and sent]
    return statistics.median(waits) if waits else None


def build_report(
    team: str, period: Period, *, workspace: Workspace, session: Session
) -> WeeklyReport:
    before = period.previous()
    both = Period(before.start, period.end, period.zone)
    edges_before, edges_now = day_edges(before), day_edges(period)
    days = len(edges_now) + 1
    rows = reports.per_day(
        both.start, both.end, [*edges_before, period.start, *edges_now], session=session
    )
    was, now = _fold(rows, len(edges_before) + 1)
    teams = workspace.teams
    volume = {
        name: (
            sum(now.per_category.get(c, 0) for c in t.categories),
            sum(was.per_category.get(c, 0) for c in t.categories),
        )
        for name, t in teams.items()
    }
    per_team_daily = {
        name: [sum(now.per_day_category.get((d, c), 0) for c in t.categories) for d in range(days)]
        for name, t in teams.items()
    }
    targets = workspace.targets
    threshold = workspace.alerts.urgency_threshold
    alerts_now = reports.urgent_alerts(
        period.start, period.end, threshold=threshold, session=session
    )
    alerts_was = reports.urgent_alerts(
        before.start, before.end, threshold=threshold, session=session
    )
    total_now, total_was = sum(now.per_category.values()), sum(was.per_category.values())
    moved_now = reports.moved(period.start, period.end, session=session)
    moved_was = reports.moved(before.start, before.end, session=session)
    figures = [
        Figure(
            "Share of voice",
            share_of_voice(workspace, period, session=session),
            share_of_voice(workspace, before, session=session),
            targets.share_of_voice,
            "share",
        ),
        Figure("Net sentiment", _net(now), _net(was), unit="net"),
        Figure("Urgent alerts", len(alerts_now), len(alerts_was), higher_is_better=False),
        Figure(
            "Median time to acknowledge",
            _ack_median(alerts_now),
            _ack_median(alerts_was),
            targets.ack_minutes,
            "minutes",
            higher_is_better=False,
        ),
        Figure(
            "Leads surfaced",
            now.per_category.get("sales_lead", 0),
            was.per_category.get("sales_lead", 0),
            targets.leads_per_week,
        ),
        Figure(
            "Correction rate",
            moved_now / total_now if total_now else None,
            moved_was / total_was if total_was else None,
            targets.correction_rate,
            "share",
            higher_is_better=False,
        ),
    ]
    local_start = period.local(period.start).date()
    return WeeklyReport(
        team=team,
        channel=teams[team].channel,
        period=period,
        days=[local_start + timedelta(days=i) for i in range(days)],
        volume=volume,
        per_team_daily=per_team_daily,
        sentiment_daily=[
            (s / r if r else None) for s, r in zip(now.sentiment_sum, now.rated, strict=True)
        ],
        figures=figures,
    )


def chart_png(report: WeeklyReport) -> bytes:
    """Mentions per team per day, one line per team, as a PNG (matplotlib, Agg: no display)."""
    from matplotlib.figure import Figure as Canvas  # start-up time: only a chart needs it
    from matplotlib.ticker import MaxNLocator

    canvas = Canvas(figsize=(8, 4), dpi=100)
    axes = canvas.subplots()
    days = list(range(len(report.days)))
    for team, counts in report.per_team_daily.items():
        axes.plot(days, counts, marker="o", label=team)
    axes.set_xticks(days, [d.strftime("%a %d") for d in report.days])
    axes.set_title(f"Mentions per team per day, {report.period.label()}")
    axes.set_ylabel("mentions")
    highest = max((max(c, default=0) for c in report.per_team_daily.values()), default=0)
    axes.set_ylim(0, max(1, highest) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    axes.grid(alpha=0.3)
    if report.per_team_daily:
        axes.legend(loc="best", fontsize="small")
    canvas.tight_layout()
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png")
    return buffer.getvalue()
