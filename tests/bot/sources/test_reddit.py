"""Reddit against the fake server: pages with `after`, app-only OAuth, what a post and a comment
make."""

import base64

from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import poll

T = 1_780_000_000


def reddit_post(n, created, kind="t3", text="Acme is great"):
    data = {
        "id": f"p{n}",
        "name": f"{kind}_p{n}",
        "created_utc": float(created),
        "author": f"u{n}",
        "score": 5,
        "permalink": f"/r/acme/comments/p{n}/x/",
        "subreddit": "acme",
    }
    if kind == "t3":
        data.update(title=f"Post {n}", selftext=text, num_comments=2, url="https://i.example/1")
    else:
        data.update(
            body=text,
            link_id="t3_abc",
            link_permalink="https://www.reddit.com/r/acme/comments/abc/t/",
        )
    return {"kind": kind, "data": data}


def listing(children, after=None):
    return {"kind": "Listing", "data": {"children": children, "after": after, "before": None}}


def test_reddit_walks_pages_with_after_until_the_last_stored_post(server, client):
    source = source_config(
        name="r",
        kind="reddit",
        subreddit="acme",
        base_url=server.url,
        user_agent="test:silta:1 (by /u/x)",
    )
    server.add(
        "/r/acme/new.json",
        Reply(200, listing([reddit_post(3, T + 30), reddit_post(2, T + 20)], after="t3_p2")),
        Reply(200, listing([reddit_post(1, T + 10), reddit_post(0, T)], after="t3_p0")),
    )
    polled = poll(client, source, {"since": T + 10})
    assert [m.external_id for m in polled.mentions] == ["t3_p3", "t3_p2", "t3_p1"]
    assert polled.cursor == {"since": T + 30}
    first, second = server.seen("/r/acme/new.json")
    assert first.headers["user-agent"] == "test:silta:1 (by /u/x)"
    assert first.query["limit"] == "100"
    assert second.query["after"] == "t3_p2"
    post = polled.mentions[0]
    assert post.url == "https://www.reddit.com/r/acme/comments/p3/x/"
    assert (post.title, post.text, post.engagement) == ("Post 3", "Acme is great", 7)


def test_reddit_signs_in_app_only_once_and_reads_the_oauth_listing(server, client):
    source = source_config(
        name="r2",
        kind="reddit",
        query="acme",
        listing="search",
        base_url=server.url,
        client_id="cid",
        client_secret="sec",
    )
    server.add(
        "/api/v1/access_token",
        Reply(200, {"access_token": "tok", "expires_in": 86400}),
        method="POST",
    )
    server.add("/search", Reply(200, listing([reddit_post(1, T, kind="t1", text="Acme broke")])))
    polled = poll(client, source)
    poll(client, source, polled.cursor)
    (token_request,) = server.seen("/api/v1/access_token")
    assert (
        token_request.headers["authorization"] == "Basic " + base64.b64encode(b"cid:sec").decode()
    )
    assert token_request.body == b"grant_type=client_credentials"
    searches = server.seen("/search")
    assert [s.headers["authorization"] for s in searches] == ["Bearer tok", "Bearer tok"]
    assert searches[0].query["q"] == "acme" and searches[0].query["sort"] == "new"
    comment = polled.mentions[0]
    assert comment.title is None
    assert comment.parent_url == "https://www.reddit.com/r/acme/comments/abc/t/"
