"""Lobsters against the fake server: the newest stories or a tag's, paged down to the last
poll, both shapes of `submitter_user`, and whatever fields a story lacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.demo.feeds.server import FeedServer
from bot.demo.posts import WorldMention
from bot.errors import ConfigError, SourceError
from bot.ingest.poller import Poller
from bot.models import Mention
from bot.sources import source_config
from tests.builders import WATCHED, workspace
from tests.fakes.sources import Reply
from tests.polling import fixture, poll

STORIES = json.loads(fixture("lobsters_newest.json"))


def story(n: int, at: int) -> dict:
    moment = datetime.fromtimestamp(at, UTC).isoformat()
    return {"short_id": f"s{n}", "created_at": moment, "title": f"Acme story {n}"}


def lobsters(server, **keys):
    return source_config(name="lob", kind="lobsters", base_url=server.url, **keys)


def test_stories_become_mentions_whatever_shape_they_come_in(server, client):
    server.add("/newest.json", Reply(200, STORIES))
    polled = poll(client, lobsters(server))
    first, second, bare = polled.mentions
    assert first.external_id == "k3x9qz"
    assert first.published_at == datetime(2026, 5, 28, 14, 15, 2, tzinfo=UTC)
    assert first.text == "Acme's export links were guessable & we had to move."
    assert first.title == "Why we moved our rota exports off Acme"
    assert first.url == "https://lobste.rs/s/k3x9qz/why_we_moved_our_rota_exports_off_acme"
    assert first.author == "mreid"
    assert first.engagement == 20
    assert first.extra == {
        "link": "https://blog.example/rota-exports",
        "tags": ["security", "practices"],
    }
    assert second.author == "tova" and second.text == "" and second.engagement == 3
    assert bare.url == f"{server.url}/s/zq0001"
    assert bare.author is None and bare.extra == {"link": None, "tags": []}
    assert polled.cursor == {"since": int(first.published_at.timestamp())}
    assert [s.path for s in server.seen()] == ["/newest.json"]


def test_later_polls_turn_pages_down_to_the_last_one_and_no_further(server, client):
    t = 1_780_000_000
    server.add("/t/python.json", Reply(200, [story(4, t + 40), story(3, t + 30)]))
    server.add("/t/python/page/2.json", Reply(200, [story(2, t + 20), story(1, t + 10)]))
    polled = poll(client, lobsters(server, tag="python"), {"since": t + 20})
    assert [m.external_id for m in polled.mentions] == ["s4", "s3", "s2"]
    assert polled.cursor == {"since": t + 40}
    assert [s.path for s in server.seen()] == ["/t/python.json", "/t/python/page/2.json"]


def test_an_empty_page_ends_the_walk(server, client):
    t = 1_780_000_000
    server.add("/newest.json", Reply(200, [story(2, t + 20)]))
    server.add("/newest/page/2.json", Reply(200, []))
    polled = poll(client, lobsters(server), {"since": t})
    assert [m.external_id for m in polled.mentions] == ["s2"]
    assert polled.cursor == {"since": t + 20}


def test_an_answer_that_is_not_a_list_is_a_source_error(server, client):
    server.add("/newest.json", Reply(200, {"error": "rate limited"}))
    with pytest.raises(SourceError, match="list of stories"):
        poll(client, lobsters(server))


def test_the_config_takes_a_tag_and_no_key():
    source = workspace(sources=[{"name": "lob", "kind": "lobsters"}])
    assert source.sources[0].kind == "lobsters"
    with pytest.raises(ConfigError) as caught:
        workspace(sources=[{"name": "lob", "kind": "lobsters", "query": "acme"}])
    assert caught.value.problems == ['sources[lob]: "query" does not apply to kind "lobsters"']


def test_the_poller_keeps_only_the_stories_that_name_the_company(sessions, client, server):
    server.add("/newest.json", Reply(200, STORIES))
    [result] = Poller(
        workspace(WATCHED, sources=[lobsters(server)]), sessions=sessions, client=client
    ).poll_all()
    assert result.ok and (result.new, result.skipped) == (2, 1)
    with sessions() as session:
        assert set(session.scalars(select(Mention.external_id))) == {"k3x9qz", "b7vw2m"}


def test_the_demo_feed_serves_the_worlds_stories_as_lobsters_does(client):
    start = datetime(2026, 11, 23, tzinfo=UTC)
    posts = [
        WorldMention(
            kind="lobsters",
            source="lob",
            id=f"dm{n:04d}",
            author=f"user{n}",
            reach=8,
            title=f"Acme post {n}",
            text="Acme <b>is</b> fine\n\nsecond paragraph",
            url=f"https://lobste.rs/s/dm{n:04d}",
            offset=timedelta(hours=-n),
            category="noise",
            where="python" if n % 2 else "rust",
            seq=30 - n,
        )
        for n in range(1, 31)
    ]
    with FeedServer(posts, start=start, clock=lambda: start) as feeds:
        everything = poll(client, source_config(name="lob", kind="lobsters", base_url=feeds.url))
        tagged = poll(client, lobsters(feeds, tag="python"), {"since": 0})
        empty = client.get(f"{feeds.url}/t/go.json").json()
    newest = everything.mentions
    assert [m.external_id for m in newest] == [f"dm{n:04d}" for n in range(1, 26)]
    assert newest[0].text == "Acme <b>is</b> fine\nsecond paragraph"
    assert newest[0].url == f"{feeds.url}/s/dm0001" and newest[0].author == "user1"
    assert newest[0].published_at == start - timedelta(hours=1)
    assert {m.external_id for m in tagged.mentions} == {f"dm{n:04d}" for n in range(1, 31, 2)}
    assert empty == []
