"""The poller against a fake Hacker News with real paging: what is stored, the cursor, health."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.ingest.poller import Poller
from bot.models import Mention
from bot.models import Source as SourceRow
from bot.sources import source_config
from tests.builders import WATCHED, workspace
from tests.fakes.apis import T0, HackerNewsAPI, hn_hit
from tests.fakes.sources import Reply, Seen, refused_url

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def hn_source(server, **kw):
    return source_config(name="hn", kind="hackernews", query="acme", base_url=server.url, **kw)


def make_poller(sessions, client, *sources, clock=lambda: NOW, **kw):
    sleeps = []
    poller = Poller(
        workspace(WATCHED, sources=list(sources)),
        sessions=sessions,
        client=client,
        sleep=sleeps.append,
        clock=clock,
        **kw,
    )
    return poller, sleeps


def stored(sessions, name="hn"):
    with sessions() as session:
        return sorted(
            session.scalars(
                select(Mention.external_id).join(SourceRow).where(SourceRow.name == name)
            ),
            key=int,
        )


def row(sessions, name="hn"):
    with sessions() as session:
        return session.scalar(select(SourceRow).where(SourceRow.name == name))


def about_acme(first, count, *, at=T0, step=10):
    """`count` hits about Acme, numbered from `first`, newest with the highest number."""
    return [
        hn_hit(n, f"Acme comment {n}", at + (n - first) * step) for n in range(first, first + count)
    ]


@pytest.fixture
def api(server):
    fake = HackerNewsAPI()
    server.handle("/api/v1/search_by_date", fake)
    return fake


def test_the_first_poll_takes_the_newest_page_and_keeps_only_mentions_of_us(
    sessions, client, server, api
):
    api.add(*about_acme(1, 3), hn_hit(4, "Globex is great", T0 + 100))
    api.add(hn_hit(5, "Wile E. Coyote buys Acme rockets", T0 + 110))
    poller, _ = make_poller(sessions, client, hn_source(server))
    result = poller.poll(hn_source(server))
    assert (result.new, result.duplicate, result.skipped, result.errors) == (3, 0, 2, [])
    assert stored(sessions) == ["1", "2", "3"]
    assert row(sessions).cursor == {"since": T0 + 110}


def test_match_all_keeps_everything_the_source_says(sessions, client, server, api):
    api.add(*about_acme(1, 2), hn_hit(3, "no brand here", T0 + 50))
    source = hn_source(server, match="all")
    poller, _ = make_poller(sessions, client, source)
    assert poller.poll(source).new == 3


def test_after_a_restart_nothing_is_fetched_twice_and_nothing_is_missed(
    sessions, client, server, api
):
    api.add(*about_acme(1, 50))
    source = hn_source(server)
    first, _ = make_poller(sessions, client, source)
    first.poll(source)
    api.add(*about_acme(51, 250, at=T0 + 1000))
    requests_before = len(server.seen())

    restarted, _ = make_poller(sessions, client, source)
    result = restarted.poll(source)

    assert result.new == 250
    assert result.duplicate <= 1  # the boundary second is asked for again, never stored twice
    assert stored(sessions) == [str(n) for n in range(1, 301)]
    asked = server.seen()[requests_before:]
    assert all(f"created_at_i>={T0 + 490}" in r.query["numericFilters"] for r in asked)
    again = restarted.poll(source)
    assert (again.new, again.duplicate) == (0, 1)


def test_more_than_the_1000_hit_cap_is_walked_by_narrowing_the_window(
    sessions, client, server, api
):
    api.add(*about_acme(1, 1))
    source = hn_source(server)
    poller, _ = make_poller(sessions, client, source, max_pages=50)
    poller.poll(source)
    api.add(*about_acme(2, 1500, at=T0 + 10, step=1))
    result = poller.poll(source)
    assert result.new == 1500
    assert len(stored(sessions)) == 1501
    narrowed = [r for r in server.seen() if "created_at_i<=" in r.query.get("numericFilters", "")]
    assert narrowed and all(r.query["page"] == "0" for r in narrowed[:1])


def test_a_failure_mid_walk_keeps_the_pages_before_it_and_fills_the_gap_next_time(
    sessions, client, server, api
):
    api.add(*about_acme(1, 1))
    source = hn_source(server)
    poller, _ = make_poller(sessions, client, source)
    poller.poll(source)
    api.add(*about_acme(2, 450, at=T0 + 10))
    pages = [api(_query(T0, page=0)), api(_query(T0, page=1))]
    api.faults = [*pages, *[Reply(500)] * 4]

    failed = poller.poll(source)
    assert failed.status == "failed"
    assert failed.new == 200
    health = row(sessions)
    assert health.consecutive_failures == 1
    assert "HTTP 500" in health.last_error
    assert health.items_last_poll == 200
    assert health.cursor["floor"] < health.cursor["top"]

    api.faults = []
    healed = poller.poll(source)
    assert healed.status == "ok"
    assert healed.new == 250
    assert stored(sessions) == [str(n) for n in range(1, 452)]
    assert row(sessions).consecutive_failures == 0
    assert row(sessions).cursor == {"since": T0 + 10 + 449 * 10}


def _query(since, *, page):
    return Seen(
        "GET",
        "/api/v1/search_by_date",
        {"hitsPerPage": "100", "page": str(page), "numericFilters": f"created_at_i>={since}"},
        {},
        b"",
    )


FAULTS = {
    "timeout": Reply(200, {"hits": []}, delay=0.4),
    "500": Reply(500, "Internal Server Error"),
    "truncated JSON": Reply(200, b'{"hits": [{"objectID": "9", "created_at_i": 17'),
    "oversized body": Reply(200, b" " * (11 * 1024 * 1024)),
    "not the shape we know": Reply(200, {"hits": [{"created_at_i": T0 + 5}]}),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_recorded_and_loses_nothing(sessions, client, server, api, fault):
    api.add(*about_acme(1, 1))
    source = hn_source(server, timeout=0.2)
    poller, _ = make_poller(sessions, client, source)
    poller.poll(source)
    api.add(*about_acme(2, 30, at=T0 + 10))
    api.faults = [FAULTS[fault]] * 4

    failed = poller.poll(source)
    assert failed.status == "failed"
    assert failed.errors[0].startswith("hn: ")
    assert row(sessions).consecutive_failures == 1
    assert row(sessions).cursor == {"since": T0}

    api.faults = []
    assert poller.poll(source).new == 30
    assert stored(sessions) == [str(n) for n in range(1, 32)]


def test_a_refused_connection_is_recorded_and_the_other_sources_go_on(
    sessions, client, server, api
):
    api.add(*about_acme(1, 2))
    dead = source_config(name="dead", kind="hackernews", query="acme", base_url=refused_url())
    live = hn_source(server)
    poller, sleeps = make_poller(sessions, client, dead, live)
    results = poller.poll_all()
    assert [(r.source, r.status) for r in results] == [("dead", "failed"), ("hn", "ok")]
    assert "cannot reach" in results[0].errors[0]
    assert len(sleeps) == 3
    assert stored(sessions) == ["1", "2"]
    assert row(sessions, "dead").last_error.startswith("dead: cannot reach")


def test_429_with_retry_after_waits_then_goes_on(sessions, client, server, api):
    api.add(*about_acme(1, 2))
    api.faults = [Reply(429, headers={"Retry-After": "3"})]
    source = hn_source(server)
    poller, sleeps = make_poller(sessions, client, source)
    assert poller.poll(source).new == 2
    assert sleeps == [3.0]


def test_a_long_retry_after_is_respected_across_polls(sessions, client, server, api):
    api.add(*about_acme(1, 2))
    api.faults = [Reply(429, headers={"Retry-After": "1800"})]
    source = hn_source(server)
    clock = [NOW]
    poller, sleeps = make_poller(sessions, client, source, clock=lambda: clock[0])
    assert poller.poll(source).status == "failed"
    assert sleeps == []
    requests = len(server.seen())

    clock[0] = NOW + timedelta(minutes=10)
    waiting = poller.poll(source)
    assert waiting.status == "waiting"
    assert len(server.seen()) == requests

    clock[0] = NOW + timedelta(minutes=31)
    assert poller.poll(source).new == 2
    assert row(sessions).retry_at is None


class Recorder:
    def __init__(self):
        self.calls = []

    def classify_stored(self, mention_ids, *, session):
        texts = session.scalars(select(Mention.text).where(Mention.id.in_(mention_ids))).all()
        self.calls.append((list(mention_ids), sorted(texts)))
        return len(mention_ids)


def test_new_mentions_are_classified_in_the_transaction_that_stores_them(
    sessions, client, server, api
):
    api.add(*about_acme(1, 2))
    recorder = Recorder()
    source = hn_source(server)
    poller, _ = make_poller(sessions, client, source, classifier=recorder)
    poller.poll(source)
    poller.poll(source)
    assert len(recorder.calls) == 1
    ids, texts = recorder.calls[0]
    assert len(ids) == 2
    assert texts == ["Acme comment 1", "Acme comment 2"]


def test_a_classifier_failure_stores_nothing_and_is_recorded(sessions, client, server, api):
    class Broken:
        def classify_stored(self, mention_ids, *, session):
            raise RuntimeError("model file corrupt")

    api.add(*about_acme(1, 2))
    source = hn_source(server)
    poller, _ = make_poller(sessions, client, source, classifier=Broken())
    result = poller.poll(source)
    assert result.status == "failed"
    assert "model file corrupt" in result.errors[0]
    assert stored(sessions) == []
    assert row(sessions).cursor == {}
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Mention)) == 0
