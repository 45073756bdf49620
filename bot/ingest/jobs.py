"""Wiring ingestion into the processes that run it: the HTTP client, the classifier, and one
poll job per source for the worker. The CLI and `bot.wiring` build on these."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

import httpx

from bot.classify.service import MentionClassifier
from bot.config import Source as SourceConfig
from bot.errors import ClassifierError
from bot.ingest.poller import Classifier, Poller, PollResult
from bot.jobspec import JobSpec, every
from bot.runtime import Runtime
from bot.sources import polled
from bot.store import classifier_models

log = logging.getLogger(__name__)


def make_client() -> httpx.Client:
    """Redirects followed (feeds move), a pool shared by one run's sources; each request sets
    its own timeout from the source's `timeout`."""
    return httpx.Client(
        follow_redirects=True,
        timeout=20.0,
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )


def load_classifier(runtime: Runtime) -> Classifier | None:
    """The active model. Without one, mentions are still stored (unclassified) rather than
    lost; the error is logged for whoever trains the first model."""
    try:
        with runtime.sessions() as session:
            return MentionClassifier.load(session=session, workspace=runtime.config.workspace)
    except ClassifierError as exc:
        log.error("no classifier, storing mentions unclassified: %s", exc)
        return None


class ActiveClassifier:
    """The active model, loaded once and again only when retraining activates another: a
    webhook push or a poll asks for the version (one short query), not for the model's bytes."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._lock = threading.Lock()
        self._version: str | None = None
        self._classifier: Classifier | None = None

    def __call__(self) -> Classifier | None:
        with self.runtime.sessions() as session:
            version = classifier_models.active_version(session=session)
        with self._lock:
            if self._classifier is None or version != self._version:
                self._classifier = load_classifier(self.runtime)
                self._version = version
            return self._classifier


def classifier_provider(runtime: Runtime) -> Callable[[], Classifier | None]:
    return ActiveClassifier(runtime)


def describe(result: PollResult) -> str:
    return (
        f"{result.source}: new {result.new}, duplicate {result.duplicate}, "
        f"skipped {result.skipped}, errors {len(result.errors)}, {result.seconds:.1f}s"
    )


def poll_jobs(runtime: Runtime) -> list[JobSpec]:
    """A job per polled source, each on its own `every`. Each run opens its own client: polls
    are minutes apart, longer than any keep-alive, and nothing is left open between them."""
    workspace = runtime.config.workspace
    classifier = ActiveClassifier(runtime)

    def run(source: SourceConfig) -> None:
        with make_client() as client:
            poller = Poller(
                workspace,
                sessions=runtime.sessions,
                client=client,
                classifier=classifier(),
                clock=runtime.clock,
            )
            result = poller.poll(source)
        (log.warning if result.errors else log.info)(describe(result))
        for error in result.errors:
            log.warning(error)

    return [
        every(f"poll:{source.name}", partial(run, source), source.interval)
        for source in workspace.sources
        if polled(source)
    ]
