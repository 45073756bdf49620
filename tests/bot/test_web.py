import hashlib
import hmac
import io
import json
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from bot.models import Mention
from bot.models import Source as SourceRow
from bot.sources import source_config
from bot.web import BackgroundServer, create_app
from tests.builders import WATCHED, workspace

HOOK = source_config(name="zapier", kind="webhook", secret="s3cret")
ALL = source_config(name="brand24", kind="webhook", secret="b24", match="all")


@pytest.fixture
def web(sessions):
    app = create_app(
        workspace(
            WATCHED,
            sources=[HOOK, ALL, source_config(name="hn", kind="hackernews", query="a")],
        ),
        sessions=sessions,
    )
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://silta") as http:
        yield http


def bearer(secret="s3cret"):
    return {"Authorization": f"Bearer {secret}"}


def stored(sessions):
    with sessions() as session:
        return session.scalars(select(Mention).order_by(Mention.id)).all()


def test_healthz_answers_ok_when_the_database_answers(web):
    reply = web.get("/healthz")
    assert (reply.status_code, reply.json()) == (200, {"status": "ok"})


def test_a_push_is_validated_stored_and_answered_202(web, sessions):
    body = [
        {"text": "Acme's checkout is broken", "url": "https://t.example/1", "author": "ann"},
        {"text": "Nothing about us", "url": "https://t.example/2"},
        {"text": "Acme again", "url": "https://t.example/1"},
    ]
    reply = web.post("/ingest/zapier", json={"mentions": body}, headers=bearer())
    assert reply.status_code == 202
    assert reply.json() == {"accepted": 3, "new": 1, "duplicate": 1, "skipped": 1}
    (mention,) = stored(sessions)
    assert (mention.source.name, mention.author) == ("zapier", "ann")
    with sessions() as session:
        row = session.scalar(select(SourceRow).where(SourceRow.name == "zapier"))
        assert (row.items_last_poll, row.consecutive_failures) == (1, 0)


def test_a_push_is_timed_by_the_apps_clock_as_polls_are(sessions):
    """In the demo the clock is virtual: the webhook source's last success is in its week."""
    then = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    app = create_app(workspace(WATCHED, sources=[HOOK]), sessions=sessions, clock=lambda: then)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://silta") as http:
        pushed = http.post("/ingest/zapier", json={"text": "Acme rocks"}, headers=bearer())
        refused = http.post("/ingest/zapier", content=b"not json", headers=bearer())
    assert (pushed.status_code, refused.status_code) == (202, 400)
    with sessions() as session:
        row = session.scalar(select(SourceRow).where(SourceRow.name == "zapier"))
        assert (row.last_success_at, row.last_error_at) == (then, then)


def test_a_signed_body_is_accepted_without_the_secret_in_a_header(web, sessions):
    body = json.dumps({"text": "whatever they say", "id": "b24-1"}).encode()
    signature = "sha256=" + hmac.new(b"b24", body, hashlib.sha256).hexdigest()
    reply = web.post("/ingest/brand24", content=body, headers={"X-Silta-Signature": signature})
    assert reply.status_code == 202
    assert stored(sessions)[0].external_id == "b24-1"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"X-Silta-Signature": "sha256=00"},
        {"X-Silta-Secret": "b24"},
    ],
)
def test_a_wrong_secret_is_401_and_stores_nothing(web, sessions, headers):
    reply = web.post("/ingest/zapier", json={"text": "Acme"}, headers=headers)
    assert reply.status_code == 401
    assert stored(sessions) == []


def test_unknown_or_polled_sources_are_404(web):
    assert web.post("/ingest/nope", json={}, headers=bearer()).status_code == 404
    assert web.post("/ingest/hn", json={}, headers=bearer()).status_code == 404


def test_one_bad_record_rejects_the_push_with_every_problem(web, sessions):
    body = [
        {"text": "Acme fine"},
        {"url": "https://x.example"},
        {"text": "Acme", "published_at": "soon"},
    ]
    reply = web.post("/ingest/zapier", json=body, headers=bearer())
    assert reply.status_code == 400
    assert reply.json()["problems"] == [
        "record 1: text: missing; every record needs `text` (or at least a `title`)",
        'record 2: published_at: "soon" is not a time; use ISO 8601, e.g. 2026-11-20T12:00:00Z',
    ]
    assert stored(sessions) == []
    with sessions() as session:
        row = session.scalar(select(SourceRow).where(SourceRow.name == "zapier"))
        assert row.consecutive_failures == 1 and "rejected a push" in row.last_error


def test_not_json_is_400(web):
    reply = web.post("/ingest/zapier", content=b"<xml/>", headers=bearer())
    assert reply.status_code == 400
    assert "not JSON" in reply.json()["problems"][0]


def test_a_huge_body_is_413_and_wrong_methods_405(web):
    reply = web.post("/ingest/zapier", content=b"x" * (1024 * 1024 + 1), headers=bearer())
    assert reply.status_code == 413
    assert web.get("/ingest/zapier").status_code == 405
    assert web.get("/nowhere").status_code == 404


def test_other_apps_mount_beside_silta_routes(sessions):
    def slack(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode()]

    app = create_app(
        workspace(WATCHED, sources=[HOOK]), sessions=sessions, mounts={"/slack": slack}
    )
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://silta") as http:
        assert http.post("/slack/events", content=b"{}").text == "/slack/events"
        assert http.get("/slackers").status_code == 404
        assert http.get("/healthz").status_code == 200


def test_a_bug_in_a_handler_answers_500_with_an_id(sessions, caplog):
    app = create_app(workspace(WATCHED, sources=[HOOK]), sessions=sessions)

    def broken(request):
        raise RuntimeError("boom")

    app.route("GET", "/broken", broken)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://silta") as http:
        reply = http.get("/broken")
    assert reply.status_code == 500
    assert reply.json()["id"] in caplog.text


def test_a_get_without_a_length_does_not_wait_for_a_body(sessions):
    """Some servers (wsgiref) pass a raw socket and no CONTENT_LENGTH on a GET: reading it to
    the end would wait for ever, so the app must not read at all."""

    class Socket(io.RawIOBase):
        def read(self, size=-1):
            raise AssertionError("read a body that was never sent")

    app = create_app(workspace(WATCHED, sources=[HOOK]), sessions=sessions)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "wsgi.input": Socket()}
    statuses = []
    body = b"".join(app(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"]
    assert json.loads(body) == {"status": "ok"}


def test_the_app_answers_over_real_http(sessions):
    server = BackgroundServer(create_app(workspace(WATCHED, sources=[HOOK]), sessions=sessions))
    try:
        assert httpx.get(f"{server.url}/healthz", timeout=5).json() == {"status": "ok"}
    finally:
        server.close()
