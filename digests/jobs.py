"""The worker's digest jobs: one cron job per team digest and per weekly report, in the team's
time zone, plus a sweep every minute that catches up after downtime (one coalesced period)
and retries failed or abandoned claims. All of them call the same idempotent
`Deliverer.run`, so a cron run and a sweep that meet send nothing twice."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from bot.jobspec import MAX_GRACE, JobSpec, every
from bot.models import utcnow
from bot.runtime import Runtime
from bot.slack_client import Retry, make_client
from digests import periods
from digests.deliver import Deliverer, Plan, plans

log = logging.getLogger(__name__)

SWEEP = timedelta(minutes=1)


def run_plan(deliverer: Deliverer, plan: Plan) -> None:
    for outcome in deliverer.run(plan):
        level = logging.WARNING if outcome.status == "failed" else logging.INFO
        period = outcome.period.label() if outcome.period else "-"
        log.log(
            level, "%s %s %s: %s %s", plan.kind, plan.team, period, outcome.status, outcome.detail
        )


def sweep(deliverer: Deliverer, every_plan: list[Plan]) -> None:
    for plan in every_plan:
        run_plan(deliverer, plan)


def digest_jobs(runtime: Runtime) -> list[JobSpec]:
    settings, workspace = runtime.settings, runtime.config.workspace
    if not settings.slack_bot_token:
        log.warning("SLACK_BOT_TOKEN is not set: digests are not sent")
        return []
    deliverer = Deliverer(
        workspace,
        sessions=runtime.sessions,
        client=make_client(settings, retry=Retry.POST_ONCE, timeout=30, max_retries=3),
        clock=runtime.clock,
        claim_clock=utcnow,  # sending takes real time, even when the demo plays the week fast
    )
    every_plan = plans(workspace)
    jobs = [
        JobSpec(
            f"{plan.kind}:{plan.team}",
            partial(run_plan, deliverer, plan),
            periods.trigger(*plan.fires),
            MAX_GRACE,
        )
        for plan in every_plan
    ]
    if every_plan:
        jobs.append(every("digests:sweep", partial(sweep, deliverer, every_plan), SWEEP))
    return jobs
