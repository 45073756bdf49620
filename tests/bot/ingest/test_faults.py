"""Faults that need more than one source kind: each is recorded in health and loses nothing."""

from sqlalchemy import select

from bot.ingest.poller import Poller
from bot.models import Mention
from bot.models import Source as SourceRow
from bot.sources import source_config
from tests.builders import WATCHED, workspace
from tests.fakes.apis import T0, HackerNewsAPI, hn_hit
from tests.fakes.sources import Reply
from tests.polling import fixture


def run(sessions, client, source):
    return Poller(
        workspace(WATCHED, sources=[source]), sessions=sessions, client=client, sleep=lambda _: None
    ).poll(source)


def ids(sessions):
    with sessions() as session:
        return sorted(session.scalars(select(Mention.external_id)))


def health(sessions, name):
    with sessions() as session:
        return session.scalar(select(SourceRow).where(SourceRow.name == name))


def feed(server):
    return source_config(
        name="blog", kind="rss", url="https://blog.example/feed", base_url=server.url, match="all"
    )


def test_invalid_xml_then_a_good_feed(sessions, client, server):
    good = Reply(200, fixture("rss2.xml"), {"ETag": '"good"'})
    server.add("/feed", Reply(200, fixture("truncated.xml"), {"ETag": '"bad"'}), good)
    failed = run(sessions, client, feed(server))
    assert failed.status == "failed" and "not well-formed XML" in failed.errors[0]
    row = health(sessions, "blog")
    assert (row.consecutive_failures, row.cursor) == (1, {})
    assert run(sessions, client, feed(server)).new == 2
    assert server.seen("/feed")[1].headers.get("if-none-match") is None
    assert health(sessions, "blog").cursor == {"etag": '"good"'}


def test_an_entity_bomb_is_refused_recorded_and_stores_nothing(sessions, client, server):
    server.add("/feed", Reply(200, fixture("bomb.xml")))
    failed = run(sessions, client, feed(server))
    assert "entity bomb" in failed.errors[0]
    assert ids(sessions) == []
    assert "entity bomb" in health(sessions, "blog").last_error


def test_a_page_repeating_the_previous_one_stops_the_walk_and_the_gap_is_filled_later(
    sessions, client, server
):
    api = HackerNewsAPI([hn_hit(1, "Acme", T0)])
    server.handle("/api/v1/search_by_date", api)
    source = source_config(name="hn", kind="hackernews", query="acme", base_url=server.url)
    run(sessions, client, source)
    api.add(*[hn_hit(n, f"Acme {n}", T0 + n) for n in range(2, 302)])
    page0 = api(_seen(page=0))
    api.faults = [page0, page0]
    failed = run(sessions, client, source)
    assert "same page twice" in failed.errors[0]
    assert failed.new == 100
    assert health(sessions, "hn").consecutive_failures == 1
    healed = run(sessions, client, source)
    assert (healed.status, healed.new) == ("ok", 200)
    assert ids(sessions) == sorted(str(n) for n in range(1, 302))


def _seen(*, page):
    from tests.fakes.sources import Seen

    query = {"hitsPerPage": "100", "page": str(page), "numericFilters": f"created_at_i>={T0}"}
    return Seen("GET", "/api/v1/search_by_date", query, {}, b"")


def comment(n, minute):
    return {
        "id": f"c{n}",
        "snippet": {
            "topLevelComment": {
                "snippet": {
                    "videoId": "v",
                    "textDisplay": f"Acme {n}",
                    "publishedAt": f"2026-11-20T10:{minute:02d}:00Z",
                }
            }
        },
    }


def test_a_page_token_the_api_no_longer_accepts_is_recorded_and_healed(sessions, client, server):
    source = source_config(
        name="yt", kind="youtube", video_id="v", api_key="k", base_url=server.url
    )
    expired = {"error": {"message": "expired", "errors": [{"reason": "invalidPageToken"}]}}
    server.add("/commentThreads", Reply(200, {"items": [comment(0, 0)]}))
    run(sessions, client, source)
    server.add(
        "/commentThreads",
        Reply(200, {"items": [comment(2, 2)], "nextPageToken": "old"}),
        Reply(400, expired),
        Reply(200, {"items": [comment(2, 2)], "nextPageToken": "fresh"}),
        Reply(200, {"items": [comment(1, 1), comment(0, 0)]}),
    )
    failed = run(sessions, client, source)
    assert failed.status == "failed" and "refused the page token" in failed.errors[0]
    assert health(sessions, "yt").consecutive_failures == 1
    healed = run(sessions, client, source)
    assert healed.status == "ok"
    assert ids(sessions) == ["c0", "c1", "c2"]


def test_a_lower_bound_the_api_refuses_is_dropped_and_filtered_here(sessions, client, server):
    source = source_config(name="x", kind="x", query="acme", bearer_token="t", base_url=server.url)
    tweets = [{"id": str(n), "text": f"Acme {n}"} for n in (30, 20, 10)]

    def api(seen):
        if "since_id" in seen.query:
            return Reply(
                400, {"errors": [{"parameters": {"since_id": ["10"]}, "message": "too old"}]}
            )
        return Reply(200, {"data": tweets, "meta": {}})

    server.handle("/2/tweets/search/recent", api)
    with sessions.begin() as session:
        session.add(SourceRow(name="x", kind="x", cursor={"since": 20}))
    result = run(sessions, client, source)
    assert (result.status, result.new) == ("ok", 2)
    assert ids(sessions) == ["20", "30"]
