"""The demo's feed server against the real connectors, poller and classifier.

Every source of the rendered demo workspace is polled by the real poller over real HTTP on
loopback, into the test database, while a virtual clock moves through the week: each poll must
store exactly the mentions published by then (and about the company), never one twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from bot.classify.service import MentionClassifier, Post
from bot.demo import world
from bot.demo.feeds.server import FeedServer
from bot.demo.posts import WorldMention
from bot.ingest.match import BrandMatcher
from bot.ingest.poller import Poller
from bot.ingest.records import read
from bot.models import Mention
from bot.models import Source as SourceRow
from bot.sources import source_config
from bot.taxonomy import CATEGORIES

START = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday, 00:00
STEPS = [
    timedelta(0),
    timedelta(hours=8),
    timedelta(days=1, hours=12, minutes=30),
    timedelta(days=3, hours=14, minutes=26),
    timedelta(days=8),
]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def mentions() -> list[WorldMention]:
    return world.load_mentions()


@pytest.fixture(scope="module")
def classifier() -> MentionClassifier:
    return MentionClassifier.offline(world.workspace("http://127.0.0.1:1"))


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as http:
        yield http


def stored(sessions) -> dict[str, set[str]]:
    with sessions() as session:
        rows = session.execute(
            select(SourceRow.name, Mention.external_id).join(
                SourceRow, Mention.source_id == SourceRow.id
            )
        )
        found: dict[str, set[str]] = defaultdict(set)
        for name, external_id in rows:
            found[name].add(external_id)
        return found


def expected(mentions, matcher: BrandMatcher, now: datetime, page: int) -> dict[str, set[str]]:
    """What the sources should have stored by `now`, polled first at START and since.

    A connector's very first poll takes only the newest page (it has no cursor to walk down
    to), so with small pages the older part of the backlog is never fetched; from then on every
    poll walks down to the last one. An RSS feed is one document, stored whole.
    """
    due: dict[str, set[str]] = defaultdict(set)
    for kind in world.POLLED:
        ours = [m for m in mentions if m.kind == kind and START + m.offset <= now]
        backlog = [m for m in ours if m.offset <= timedelta(0)]
        first = backlog if kind == "rss" else backlog[::-1][:page]
        for m in first + [m for m in ours if m.offset > timedelta(0)]:
            if matcher.matches(m.title, m.text):
                due[m.source].add(m.id)
    return due


@pytest.mark.parametrize("page_size", [None, 4])
def test_every_source_stores_what_has_been_published_once(
    sessions, client, mentions, classifier, page_size
):
    clock = Clock(START)
    with FeedServer(mentions, start=START, clock=clock, page_size=page_size) as feeds:
        workspace = world.workspace(feeds.url)
        matcher = BrandMatcher.for_company(workspace.company)
        poller = Poller(
            workspace,
            sessions=sessions,
            client=client,
            classifier=classifier,
            sleep=lambda _: None,
            clock=clock,
        )
        polled = {s.name for s in workspace.sources if s.kind != "webhook"}
        before: dict[str, set[str]] = {}
        for step in STEPS:
            clock.now = START + step
            results = {r.source: r for r in poller.poll_all()}
            assert set(results) == polled
            assert all(r.ok for r in results.values()), [r.errors for r in results.values()]
            want = expected(mentions, matcher, clock.now, page_size or 100)
            got = stored(sessions)
            for name in polled:
                assert got.get(name, set()) == want.get(name, set()), (name, step)
                new = want.get(name, set()) - before.get(name, set())
                assert results[name].new == len(new), (name, step)
            before = want
        assert sum(len(ids) for ids in before.values()) > 250
    with sessions() as session:
        unclassified = session.scalar(select(func.count()).where(Mention.category.is_(None)))
    assert unclassified == 0


def test_a_poll_before_anything_is_published_stores_nothing(sessions, client, mentions):
    clock = Clock(START - timedelta(days=3))
    with FeedServer(mentions, start=START, clock=clock) as feeds:
        poller = Poller(world.workspace(feeds.url), sessions=sessions, client=client, clock=clock)
        results = poller.poll_all()
    assert all(r.ok and r.new == 0 for r in results), [r.errors for r in results]


def test_the_backlog_is_there_at_the_start(mentions):
    clock = Clock(START)
    with FeedServer(mentions, start=START, clock=clock) as feeds:
        visible = [m for kind in world.POLLED for m in feeds.visible(kind)]
        response = httpx.get(f"{feeds.url}/2/tweets/search/recent", params={"query": "x"})
    assert len(visible) == sum(
        1 for m in mentions if m.offset <= timedelta(0) and m.kind != "webhook"
    )
    assert response.json()["meta"]["result_count"] > 0


def test_rss_answers_304_when_nothing_new(mentions):
    clock = Clock(START + timedelta(days=2))
    with FeedServer(mentions, start=START, clock=clock) as feeds:
        first = httpx.get(f"{feeds.url}/feeds/brightwell.xml")
        again = httpx.get(
            f"{feeds.url}/feeds/brightwell.xml", headers={"If-None-Match": first.headers["etag"]}
        )
        clock.now += timedelta(days=2)
        later = httpx.get(
            f"{feeds.url}/feeds/brightwell.xml", headers={"If-None-Match": first.headers["etag"]}
        )
    assert first.status_code == 200 and b"<rss" in first.content
    assert again.status_code == 304
    assert later.status_code == 200 and len(later.content) > len(first.content)


def test_unknown_paths_are_404(mentions):
    with FeedServer(mentions, start=START) as feeds:
        assert httpx.get(f"{feeds.url}/nothing/here").status_code == 404


def test_webhook_mentions_are_valid_records(mentions):
    pushed = [m for m in mentions if m.kind == "webhook"]
    assert pushed
    for m in pushed:
        record = read(m.record(START))
        assert record.mention.external_id == m.id
        assert record.mention.published_at == START + m.offset


def test_the_classifier_agrees_with_the_world_on_a_clear_majority(mentions, classifier):
    results = classifier.classify_posts([Post(m.text, m.title, m.reach) for m in mentions])
    total, agreed = Counter(), Counter()
    for m, result in zip(mentions, results, strict=True):
        total[m.category] += 1
        agreed[m.category] += result.category == m.category
    share = {c: agreed[c] / total[c] for c in CATEGORIES}
    print("agreement", {c: f"{agreed[c]}/{total[c]} = {share[c]:.0%}" for c in CATEGORIES})
    assert sum(agreed.values()) / sum(total.values()) > 0.6
    assert all(share[c] >= 0.3 for c in CATEGORIES), share


def test_signed_in_reddit_and_bluesky_read_the_same_world(sessions, client, mentions):
    clock = Clock(START + timedelta(days=2))
    with FeedServer(mentions, start=START, clock=clock) as feeds:
        signed_in = [
            source_config(
                name="reddit-app",
                kind="reddit",
                query="brightwell",
                client_id="demo",
                client_secret="demo",
                base_url=feeds.url,
            ),
            source_config(
                name="bluesky-app",
                kind="bluesky",
                query="brightwell",
                handle="demo.bsky.social",
                app_password="demo",
                base_url=feeds.url,
            ),
        ]
        workspace = world.workspace(feeds.url).model_copy(update={"sources": signed_in})
        results = Poller(workspace, sessions=sessions, client=client, clock=clock).poll_all()
    assert all(r.ok and r.new > 10 for r in results), [(r.new, r.errors) for r in results]
