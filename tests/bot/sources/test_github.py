"""GitHub against the fake server: issues paged by Link header, discussions searched with a
token."""

from datetime import UTC, datetime

from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import poll


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
