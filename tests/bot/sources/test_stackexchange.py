"""Stack Exchange against the fake server: `backoff` obeyed, pages while `has_more`, throttling."""

import pytest

from bot.errors import RateLimited
from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import poll

T = 1_780_000_000


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
