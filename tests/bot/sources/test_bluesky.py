"""Bluesky against the fake server: signing in with an app password, paging with a cursor."""

from datetime import UTC, datetime

import pytest

from bot.errors import SourceError
from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import poll


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
