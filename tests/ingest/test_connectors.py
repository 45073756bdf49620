"""Each API connector against the fake server: what it asks, how it pages, what it makes."""

import base64
from datetime import UTC, datetime

import pytest

from bot.errors import RateLimited, SourceError
from bot.sources import source_config
from bot.sources.x import snowflake_time
from tests.fakes.sources import Reply
from tests.ingest.helpers import poll

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


def post(rkey, created, text="Acme support is slow"):
    return {
        "uri": f"at://did:plc:abc/app.bsky.feed.post/{rkey}",
        "author": {"did": "did:plc:abc", "handle": "ann.bsky.social", "displayName": "Ann"},
        "record": {"text": text, "createdAt": created, "langs": ["en"]},
        "indexedAt": created,
        "likeCount": 4,
        "replyCount": 1,
    }


def test_bluesky_signs_in_with_the_app_password_and_pages_with_cursor(server, client):
    source = source_config(
        name="b",
        kind="bluesky",
        query="acme",
        handle="me.bsky.social",
        app_password="app-pw",
        base_url=server.url,
    )
    server.add(
        "/xrpc/com.atproto.server.createSession", Reply(200, {"accessJwt": "jwt"}), method="POST"
    )
    server.add(
        "/xrpc/app.bsky.feed.searchPosts",
        Reply(200, {"posts": [post("3k2", "2026-11-20T10:00:02.000Z")], "cursor": "c1"}),
        Reply(200, {"posts": [post("3k1", "2026-11-20T10:00:01.000Z")]}),
    )
    since = int(datetime(2026, 11, 20, 10, 0, tzinfo=UTC).timestamp() * 1000)
    polled = poll(client, source, {"since": since})
    assert server.seen("/xrpc/com.atproto.server.createSession")[0].json() == {
        "identifier": "me.bsky.social",
        "password": "app-pw",
    }
    first, second = server.seen("/xrpc/app.bsky.feed.searchPosts")
    assert first.headers["authorization"] == "Bearer jwt"
    assert first.query["since"] == "2026-11-20T10:00:00.000Z"
    assert first.query["sort"] == "latest"
    assert second.query["cursor"] == "c1"
    skeet = polled.mentions[0]
    assert skeet.url == "https://bsky.app/profile/ann.bsky.social/post/3k2"
    assert (skeet.author_name, skeet.language, skeet.engagement) == ("Ann", "en", 5)


def test_bluesky_names_the_fix_when_the_app_password_is_wrong(server, client):
    source = source_config(
        name="b2", kind="bluesky", query="acme", handle="me", app_password="no", base_url=server.url
    )
    server.add(
        "/xrpc/com.atproto.server.createSession",
        Reply(401, {"error": "AuthenticationRequired"}),
        method="POST",
    )
    with pytest.raises(SourceError, match="app password"):
        poll(client, source)


def question(n, created):
    return {
        "question_id": n,
        "creation_date": created,
        "title": f"How do I use Acme &amp; Python? {n}",
        "body": "<p>Acme <code>login()</code> fails</p>",
        "link": f"https://stackoverflow.com/q/{n}",
        "owner": {"user_id": 7, "display_name": "dev", "reputation": 1200},
        "score": 2,
        "answer_count": 1,
        "tags": ["acme"],
    }


def test_stackexchange_obeys_backoff_and_pages_while_has_more(server, client):
    source = source_config(
        name="se", kind="stackexchange", query="acme", site="stackoverflow", base_url=server.url
    )
    server.add(
        "/search/advanced",
        Reply(
            200,
            {
                "items": [question(2, T + 20)],
                "has_more": True,
                "quota_remaining": 290,
                "backoff": 10,
            },
        ),
        Reply(200, {"items": [question(1, T + 10)], "has_more": False, "quota_remaining": 289}),
    )
    polled = poll(client, source, {"since": T})
    assert polled.sleeps == [pytest.approx(10)]
    first, second = server.seen("/search/advanced")
    assert first.query["fromdate"] == str(T) and first.query["site"] == "stackoverflow"
    assert (first.query["sort"], first.query["order"], second.query["page"]) == (
        "creation",
        "desc",
        "2",
    )
    q = polled.mentions[0]
    assert (q.title, q.text, q.reach) == (
        "How do I use Acme & Python? 2",
        "Acme login() fails",
        1200,
    )


def test_stackexchange_throttle_violation_is_rate_limited(server, client):
    source = source_config(
        name="se2", kind="stackexchange", query="acme", site="so", base_url=server.url
    )
    server.add(
        "/search/advanced",
        Reply(
            400,
            {
                "error_id": 502,
                "error_name": "throttle_violation",
                "error_message": "too many requests",
            },
        ),
    )
    with pytest.raises(RateLimited):
        poll(client, source)


def issue(n, created):
    return {
        "id": n,
        "title": f"Acme SDK crash {n}",
        "body": "Crashes on start",
        "html_url": f"https://github.com/acme/sdk/issues/{n}",
        "repository_url": "https://api.github.com/repos/acme/sdk",
        "user": {"login": "octo"},
        "comments": 2,
        "created_at": created,
        "state": "open",
    }


def test_github_pages_issues_by_link_and_searches_discussions_with_a_token(server, client):
    source = source_config(
        name="gh", kind="github", query="acme", token="ghp_x", base_url=server.url
    )
    link = f'<{server.url}/search/issues?q=acme&page=2>; rel="next"'
    server.add(
        "/search/issues",
        Reply(200, {"items": [issue(2, "2026-11-20T10:00:00Z")]}, {"Link": link}),
        Reply(200, {"items": [issue(1, "2026-11-20T09:00:00Z")]}),
    )
    discussion = {
        "id": "D_1",
        "url": "https://github.com/acme/sdk/discussions/1",
        "title": "Acme roadmap?",
        "bodyText": "When?",
        "createdAt": "2026-11-20T08:00:00Z",
        "upvoteCount": 3,
        "author": {"login": "ann"},
        "comments": {"totalCount": 1},
        "repository": {"nameWithOwner": "acme/sdk"},
    }
    server.add(
        "/graphql",
        Reply(
            200, {"data": {"search": {"pageInfo": {"hasNextPage": False}, "nodes": [discussion]}}}
        ),
        method="POST",
    )
    since = int(datetime(2026, 11, 20, 0, 0, tzinfo=UTC).timestamp())
    polled = poll(client, source, {"issues": {"since": since}, "discussions": {"since": since}})
    assert [m.external_id for m in polled.mentions] == ["issue:2", "issue:1", "discussion:D_1"]
    assert polled.cursor["issues"] == {"since": since + 10 * 3600}
    assert polled.cursor["discussions"] == {"since": since + 8 * 3600}
    first, second = server.seen("/search/issues")
    assert first.query["q"] == "acme created:>=2026-11-20T00:00:00Z"
    assert first.headers["authorization"] == "Bearer ghp_x"
    assert second.query["page"] == "2"
    graphql = server.seen("/graphql")[0].json()
    assert graphql["variables"]["q"].startswith("acme sort:created-desc created:>=")


def thread(n, published):
    return {
        "id": f"c{n}",
        "snippet": {
            "videoId": "vid",
            "totalReplyCount": 0,
            "topLevelComment": {
                "id": f"c{n}",
                "snippet": {
                    "authorDisplayName": "Viewer",
                    "authorChannelId": {"value": "UCx"},
                    "textDisplay": "Acme <b>rocks</b> &amp; rolls",
                    "likeCount": 9,
                    "publishedAt": published,
                },
            },
        },
    }


def test_youtube_pages_comment_threads_with_page_tokens(server, client):
    source = source_config(
        name="yt", kind="youtube", video_id="vid", api_key="KEY", base_url=server.url
    )
    server.add(
        "/commentThreads",
        Reply(200, {"items": [thread(2, "2026-11-20T10:00:00Z")], "nextPageToken": "P2"}),
        Reply(200, {"items": [thread(1, "2026-11-20T09:00:00Z")]}),
    )
    polled = poll(client, source, {"since": int(datetime(2026, 11, 20, tzinfo=UTC).timestamp())})
    first, second = server.seen("/commentThreads")
    assert (first.query["videoId"], first.query["key"], first.query["order"]) == (
        "vid",
        "KEY",
        "time",
    )
    assert second.query["pageToken"] == "P2"
    comment = polled.mentions[0]
    assert comment.text == "Acme rocks & rolls"
    assert comment.url == "https://www.youtube.com/watch?v=vid&lc=c2"
    assert comment.parent_url == "https://www.youtube.com/watch?v=vid"


def test_youtube_quota_exhaustion_waits_an_hour(server, client):
    source = source_config(
        name="yt2", kind="youtube", channel_id="UCacme", api_key="KEY", base_url=server.url
    )
    error = {"error": {"message": "quota", "errors": [{"reason": "quotaExceeded"}]}}
    server.add("/commentThreads", Reply(403, error))
    with pytest.raises(RateLimited) as caught:
        poll(client, source)
    assert caught.value.retry_after == 3600
    assert server.seen("/commentThreads")[0].query["allThreadsRelatedToChannelId"] == "UCacme"


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
