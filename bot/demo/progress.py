"""What the demo's terminal shows: the virtual time, how far through the week, and what
Silta has done so far — mentions fetched, sorted per team, digests and reports posted, alerts
sent — counted from the database in a few grouped queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Workspace
from bot.models import Alert, Digest, Mention


@dataclass
class Progress:
    """What the terminal shows: the virtual time and what Silta has done so far."""

    now: datetime
    start: datetime
    end: datetime
    mentions: int = 0
    per_team: dict[str, int] = field(default_factory=dict)
    digests: int = 0
    reports: int = 0
    alerts: int = 0
    over: bool = False
    """The time-lapse reached the end of the week: the jobs and the clock have stopped."""

    @property
    def share(self) -> float:
        """How much of the demo week has passed, 0–1."""
        whole = (self.end - self.start).total_seconds()
        return min(1.0, max(0.0, (self.now - self.start).total_seconds() / whole))


def count(progress: Progress, workspace: Workspace, *, session: Session) -> Progress:
    """Fill in the counts. A mention counts for a team when its category is one the team
    receives and its confidence reaches the classifier threshold (below it goes to triage)."""
    threshold = workspace.classifier.threshold
    progress.mentions = session.scalar(select(func.count(Mention.id))) or 0
    by_category: dict[str | None, int] = {
        category: number
        for category, number in session.execute(
            select(Mention.category, func.count(Mention.id))
            .where(Mention.confidence >= threshold)
            .group_by(Mention.category)
        )
    }
    sent: dict[str, int] = {
        kind: number
        for kind, number in session.execute(
            select(Digest.kind, func.count(Digest.id))
            .where(Digest.status == "sent")
            .group_by(Digest.kind)
        )
    }
    progress.alerts = (
        session.scalar(select(func.count(Alert.id)).where(Alert.status == "sent")) or 0
    )
    progress.per_team = {
        name: sum(by_category.get(c, 0) for c in team.categories)
        for name, team in workspace.teams.items()
    }
    progress.digests, progress.reports = sent.get("digest", 0), sent.get("report", 0)
    return progress
