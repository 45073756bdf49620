from __future__ import annotations

import time

import httpx
import pytest

from bot.store import subscriptions
from tests.slack import command_body, sign


def subscribed(silta) -> list:
    with silta.sessions() as session:
        return subscriptions.get_all("U0ALICE", session=session)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param("wrong-secret", id="wrongly-signed"),
        pytest.param("replayed", id="replayed-6-minutes-later"),
        pytest.param("tampered", id="body-changed-after-signing"),
    ],
)
def test_unverified_requests_get_401_and_change_nothing(silta, headers):
    body = command_body("subscribe urgent", response_url=silta.slack.response_url())
    if headers == "wrong-secret":
        headers = sign(body, secret="not-the-secret")
    elif headers == "replayed":
        headers = sign(body, timestamp=int(time.time()) - 6 * 60)
    elif headers == "tampered":
        headers = sign(body)
        body = body.replace(b"urgent", b"sales_lead")
    reply = httpx.post(
        silta.events,
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert reply.status_code == 401
    time.sleep(0.2)  # long enough for a wrongly accepted request to have reached the database
    assert subscribed(silta) == []
    assert silta.slack.calls_to("respond") == []


def test_a_correctly_signed_request_is_served(silta):
    silta.command("subscribe urgent")
    assert [s.kind for s in subscribed(silta)] == ["urgent"]


def test_tokens_never_reach_the_log(silta, caplog):
    caplog.set_level("DEBUG")
    silta.command("help")
    silta.command("nonsense")
    assert silta.slack.token not in caplog.text
    assert "8f742231b10e8888abcd99yyyzzz85a5" not in caplog.text
