import gzip

import httpx
import pytest

from bot.errors import RateLimited, SourceError
from bot.ingest.http import Fetcher
from tests.fakes.sources import Reply, refused_url


def fetcher(client, **kw):
    sleeps: list[float] = []
    kw.setdefault("jitter", lambda: 0.5)
    kw.setdefault("clock", lambda: 1795176000.0)
    made = Fetcher(client, source="hn", sleep=sleeps.append, **kw)
    return made, sleeps


def test_server_errors_are_retried_with_exponential_backoff_and_jitter(server, client):
    server.add("/x", Reply(500), Reply(502), Reply(503), Reply(200, {"ok": True}))
    http, sleeps = fetcher(client, attempts=4)
    assert http.get_json(f"{server.url}/x") == {"ok": True}
    assert sleeps == pytest.approx([0.75, 1.5, 3.0])
    assert len(server.seen("/x")) == 4


def test_jitter_spreads_waits_between_half_and_all_of_the_step(server, client):
    server.add("/x", Reply(500), Reply(200, {}))
    low, low_sleeps = fetcher(client, jitter=lambda: 0.0)
    low.get_json(f"{server.url}/x")
    server.add("/x", Reply(500), Reply(200, {}))
    high, high_sleeps = fetcher(client, jitter=lambda: 0.999)
    high.get_json(f"{server.url}/x")
    assert low_sleeps == [0.5]
    assert high_sleeps[0] == pytest.approx(1.0, abs=0.01)


def test_persistent_500_names_the_endpoint_and_the_attempts(server, client):
    server.add("/api/search", Reply(500, "boom"))
    http, sleeps = fetcher(client, attempts=3)
    with pytest.raises(SourceError, match=r"hn: 127.0.0.1:\d+/api/search answered HTTP 500 \(3"):
        http.get_json(f"{server.url}/api/search?key=SECRET")
    assert len(sleeps) == 2


def test_retry_after_is_honoured_in_seconds_and_as_a_date(server, client):
    server.add(
        "/x",
        Reply(429, headers={"Retry-After": "7"}),
        Reply(503, headers={"Retry-After": "Fri, 20 Nov 2026 12:00:05 GMT"}),
        Reply(200, {}),
    )
    http, sleeps = fetcher(client, clock=lambda: 1795176000.0)
    http.get_json(f"{server.url}/x")
    assert sleeps == [7.0, 5.0]


def test_a_long_retry_after_becomes_rate_limited_instead_of_a_sleep(server, client):
    server.add("/x", Reply(429, headers={"Retry-After": "900"}))
    http, sleeps = fetcher(client)
    with pytest.raises(RateLimited) as caught:
        http.get_json(f"{server.url}/x")
    assert caught.value.retry_after == 900
    assert sleeps == []


def test_429_without_retry_after_uses_the_rate_limit_reset_header(server, client):
    server.add("/x", Reply(429, headers={"x-ratelimit-reset": "12"}), Reply(200, {}))
    http, sleeps = fetcher(client)
    http.get_json(f"{server.url}/x")
    assert sleeps == [12.0]


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "30"}, 30.0),  # Reddit
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1795176040"}, 40.0),  # GitHub
        ({"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1795176010"}, 10.0),  # X
        ({"RateLimit-Remaining": "0", "RateLimit-Reset": "1795176020"}, 20.0),  # Bluesky
        (
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-20T12:00:50.000Z"},
            50.0,
        ),  # Mastodon
    ],
)
def test_an_exhausted_quota_holds_the_next_request_until_reset(server, client, headers, wait):
    server.add("/x", Reply(200, {"page": 1}, headers=headers), Reply(200, {"page": 2}))
    http, sleeps = fetcher(client, clock=lambda: 1795176000.0)
    http.get_json(f"{server.url}/x")
    assert sleeps == []
    http.get_json(f"{server.url}/x")
    assert sleeps == pytest.approx([wait])


def test_a_quota_reset_far_away_stops_the_poll_as_rate_limited(server, client):
    server.add(
        "/x", Reply(200, {}, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "600"})
    )
    http, _ = fetcher(client)
    http.get_json(f"{server.url}/x")
    with pytest.raises(RateLimited):
        http.get_json(f"{server.url}/x")


def test_a_timeout_is_retried_then_reported(server, client):
    server.add("/slow", Reply(200, {}, delay=0.5))
    http, sleeps = fetcher(client, timeout=0.1, attempts=2)
    with pytest.raises(SourceError, match=r"did not answer within 0.1s \(2 attempts\)"):
        http.get_json(f"{server.url}/slow")
    assert len(sleeps) == 1


def test_a_refused_connection_is_retried_then_reported(client):
    http, sleeps = fetcher(client, attempts=3)
    with pytest.raises(SourceError, match=r"cannot reach 127\.0\.0\.1"):
        http.get_json(f"{refused_url()}/x")
    assert len(sleeps) == 2


def test_an_oversized_body_is_refused_whether_declared_or_streamed(server, client):
    server.add("/big", Reply(200, b"x" * 5000))
    http, _ = fetcher(client, max_bytes=1000)
    with pytest.raises(SourceError, match="sent more than"):
        http.get_json(f"{server.url}/big")
    bomb = gzip.compress(b"[" + b"0," * 100_000 + b"0]")
    server.add("/gz", Reply(200, bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(SourceError, match="sent more than"):
        http.get_json(f"{server.url}/gz")


def test_truncated_json_is_a_clear_source_error(server, client):
    server.add("/x", Reply(200, b'{"hits": [{"objectID": "1", "te'))
    http, _ = fetcher(client)
    with pytest.raises(SourceError, match=r"invalid JSON.*truncated"):
        http.get_json(f"{server.url}/x")


def test_refused_credentials_say_what_to_check_without_leaking_the_key(server, client):
    server.add("/x", Reply(403, {"message": "Bad credentials"}))
    http, _ = fetcher(client)
    with pytest.raises(SourceError) as caught:
        http.get_json(f"{server.url}/x?key=TOPSECRET")
    assert "check the token" in str(caught.value)
    assert "TOPSECRET" not in str(caught.value)


def test_the_user_agent_describes_silta(server, client):
    server.add("/x", Reply(200, {}))
    http, _ = fetcher(client)
    http.get_json(f"{server.url}/x")
    assert "silta" in server.seen("/x")[0].headers["user-agent"]


def test_every_request_carries_the_source_timeout(server):
    seen = []

    def transport(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={})

    with httpx.Client(transport=httpx.MockTransport(transport)) as client:
        Fetcher(client, source="hn", timeout=3.5).get_json("https://hn.example/x")
    assert seen == [{"connect": 3.5, "read": 3.5, "write": 3.5, "pool": 3.5}]
