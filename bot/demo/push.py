"""The app store of the demo world: reviews pushed to Silta's webhook intake (`POST
/ingest/<source>`, authorised with the source's secret) once their virtual time has come, as a
real app-store integration would push them. A restart pushes what is due again; the intake
stores nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import httpx

from bot.config import Workspace
from bot.demo.posts import WorldMention
from bot.jobspec import JobSpec, every
from bot.sources.webhook import WebhookSource

log = logging.getLogger(__name__)

PUSH_EVERY = timedelta(minutes=15)
"""How often the reviews that are due are pushed, in virtual time."""


class Pusher:
    """Pushes each webhook mention of the world to its source once it is published."""

    ID = "demo:push"

    def __init__(
        self,
        mentions: Iterable[WorldMention],
        *,
        week: datetime,
        clock: Callable[[], datetime],
        url: str,
        workspace: Workspace,
    ) -> None:
        hooks = {s.name: s for s in workspace.sources if isinstance(s, WebhookSource) and s.secret}
        self.waiting = sorted(
            (m for m in mentions if m.kind == "webhook" and m.source in hooks),
            key=lambda m: m.offset,
        )
        self.secrets = {name: source.secret for name, source in hooks.items()}
        self.week = week
        self.clock = clock
        self.url = url.rstrip("/")

    def job(self) -> JobSpec:
        return every(self.ID, self.push, PUSH_EVERY)

    def push(self) -> int:
        now = self.clock()
        due = [m for m in self.waiting if self.week + m.offset <= now]
        if not due:
            return 0
        by_source: dict[str, list[dict[str, Any]]] = {}
        for mention in due:
            by_source.setdefault(mention.source, []).append(mention.record(self.week))
        with httpx.Client(timeout=30) as client:
            for source, records in by_source.items():
                try:
                    answer = client.post(
                        f"{self.url}/ingest/{source}",
                        json={"mentions": records},
                        headers={"Authorization": f"Bearer {self.secrets[source]}"},
                    )
                except httpx.HTTPError as exc:
                    log.warning("pushing to %s: %s; trying again later", source, exc)
                    return 0
                if answer.status_code >= 300:
                    log.warning("pushing to %s: %s %s", source, answer.status_code, answer.text)
                    return 0
        self.waiting = self.waiting[len(due) :]
        return len(due)
