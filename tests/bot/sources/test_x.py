"""X against the fake server: pages with next_token, resumes with since_id, and an old since_id
refused."""

from bot.sources import source_config
from bot.sources.x import snowflake_time
from tests.fakes.sources import Reply
from tests.polling import poll


def tweet(tweet_id, text="Acme support is great"):
    return {
        "id": str(tweet_id),
        "text": text,
        "author_id": "u1",
        "public_metrics": {"like_count": 2, "retweet_count": 1},
    }


def test_x_pages_with_next_token_and_resumes_with_since_id(server, client):
    source = source_config(
        name="x", kind="x", query="acme", bearer_token="AAA", base_url=server.url
    )
    users = {
        "users": [
            {
                "id": "u1",
                "username": "ann",
                "name": "Ann",
                "public_metrics": {"followers_count": 77},
            }
        ]
    }
    server.add(
        "/2/tweets/search/recent",
        Reply(
            200,
            {"data": [tweet(1578516068309794817)], "includes": users, "meta": {"next_token": "n2"}},
        ),
        Reply(200, {"data": [tweet(1578515564971970560)], "includes": users, "meta": {}}),
    )
    polled = poll(client, source, {"since": 1578515061600964608})
    first, second = server.seen("/2/tweets/search/recent")
    assert first.headers["authorization"] == "Bearer AAA"
    assert first.query["since_id"] == "1578515061600964608"
    assert second.query["next_token"] == "n2"
    newest = polled.mentions[0]
    assert newest.url == "https://x.com/ann/status/1578516068309794817"
    assert newest.published_at == snowflake_time(1578516068309794817)
    assert newest.published_at.strftime("%Y-%m-%d %H:%M") == "2022-10-07 22:42"
    assert (newest.author, newest.reach, newest.engagement) == ("ann", 77, 3)
    assert polled.cursor == {"since": 1578516068309794817}


def test_x_refusing_an_old_since_id_still_hears_everything_newer(server, client):
    source = source_config(
        name="x2", kind="x", query="acme", bearer_token="AAA", base_url=server.url
    )
    refused = {"errors": [{"parameters": {"since_id": ["1"]}, "message": "since_id must be newer"}]}

    def api(seen):
        if "since_id" in seen.query:
            return Reply(400, refused)
        return Reply(
            200, {"data": [tweet(300), tweet(200), tweet(100)], "meta": {"next_token": "more"}}
        )

    server.handle("/2/tweets/search/recent", api)
    polled = poll(client, source, {"since": 200})
    assert [m.external_id for m in polled.mentions] == ["300", "200"]
    assert polled.cursor == {"since": 300}
    assert len(server.seen("/2/tweets/search/recent")) == 2
