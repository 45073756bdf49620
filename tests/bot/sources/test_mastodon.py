"""Mastodon against the fake server: a tag timeline paged by Link header, a search bounded by
min_id."""

from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import poll


def status(n, text="Acme rocks"):
    return {
        "id": str(n),
        "created_at": "2026-11-20T10:00:00.000Z",
        "content": f"<p>{text} <a href='https://x.example'>#acme</a></p>",
        "url": f"https://social.example/@a/{n}",
        "language": "en",
        "replies_count": 1,
        "reblogs_count": 2,
        "favourites_count": 3,
        "account": {"acct": "a@social.example", "display_name": "A", "followers_count": 40},
    }


def test_mastodon_tag_timeline_pages_by_link_header_and_resumes_with_since_id(server, client):
    source = source_config(name="m", kind="mastodon", tag="#acme", base_url=server.url)
    link = (
        f'<{server.url}/api/v1/timelines/tag/acme?max_id=9>; rel="next", '
        f'<{server.url}/x?min_id=11>; rel="prev"'
    )
    server.add(
        "/api/v1/timelines/tag/acme",
        Reply(200, [status(11), status(10)], {"Link": link}),
        Reply(200, [status(9)]),
        Reply(200, []),
    )
    first = poll(client, source, {"since": "8"})
    assert [m.external_id for m in first.mentions] == ["11", "10", "9"]
    assert first.cursor == {"since": "11"}
    poll(client, source, first.cursor)
    asked = server.seen("/api/v1/timelines/tag/acme")
    assert asked[0].query["since_id"] == "8"
    assert asked[1].query["max_id"] == "9"
    assert asked[2].query["since_id"] == "11"
    toot = first.mentions[0]
    assert toot.text == "Acme rocks #acme"
    assert (toot.author, toot.reach, toot.engagement) == ("a@social.example", 40, 6)


def test_mastodon_search_is_bounded_with_min_id_and_sends_the_token(server, client):
    source = source_config(
        name="m2", kind="mastodon", query="acme", token="t0k", base_url=server.url
    )
    server.add("/api/v2/search", Reply(200, {"statuses": [status(100)], "accounts": []}))
    polled = poll(client, source, {"since": "99"})
    asked = server.seen("/api/v2/search")[0]
    assert asked.query["min_id"] == "99" and asked.query["type"] == "statuses"
    assert asked.headers["authorization"] == "Bearer t0k"
    assert polled.cursor == {"since": "100"}
