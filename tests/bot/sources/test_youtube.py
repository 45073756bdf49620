"""YouTube against the fake server: comment threads paged with page tokens, quota exhaustion."""

from datetime import UTC, datetime

import pytest

from bot.errors import RateLimited
from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import poll


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
