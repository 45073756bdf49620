from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot import alerts, blocks
from bot.ids import ActionId
from bot.models import Alert, Label, Mention
from bot.slack_client import Retry, make_client
from bot.store import subscriptions
from tests.builders import store
from tests.slack import move_action


def stored(silta, mention_id: int) -> Mention:
    with silta.sessions() as session:
        return session.get(Mention, mention_id)


def labels(silta) -> list[Label]:
    with silta.sessions() as session:
        return list(session.scalars(select(Label).order_by(Label.id)))


def digest_message(silta, mention: Mention) -> dict:
    """A mention as a digest would post it in #support, so the click has a real message."""
    client = make_client(silta.config.settings, retry=Retry.POST_ONCE)
    shown = blocks.mention_blocks(mention, list(silta.config.workspace.teams))
    posted = client.chat_postMessage(channel="#support", blocks=shown, text="digest")
    return {"ts": posted["ts"], "blocks": shown, "text": "digest"}


def test_move_to_stores_a_label_posts_to_the_team_and_updates_the_message(silta):
    with silta.sessions.begin() as session:
        mention = store(session, "Acme should add dark mode <!channel>")
    message = digest_message(silta, mention)
    silta.act(move_action(mention.id, "product"), message=message, channel="C0SUPPORT")
    (update,) = silta.slack.wait_for("chat.update")
    (label,) = labels(silta)
    assert (label.category, label.previous_category, label.user_id, label.origin) == (
        "product_feedback",
        "support_issue",
        "U0ALICE",
        "slack",
    )
    assert stored(silta, mention.id).category == "product_feedback"
    (posted,) = [
        c for c in silta.slack.calls_to("chat.postMessage") if c.params["channel"] == "#product"
    ]
    assert "Moved here by <@U0ALICE>" in json.dumps(posted.params)
    assert "<!channel>" not in json.dumps(posted.params)
    assert update.params["ts"] == message["ts"]
    assert "Moved to *product* by <@U0ALICE>" in json.dumps(update.params)
    assert (
        silta.slack.messages("C0SUPPORT")[0]["blocks"][-1]["block_id"]
        == f"mention:{mention.id}:note"
    )


def test_not_relevant_files_it_under_noise_and_posts_nowhere(silta):
    with silta.sessions.begin() as session:
        mention = store(session, "Acme Corp the cartoon")
    message = digest_message(silta, mention)
    silta.act(move_action(mention.id, None), message=message, channel="C0SUPPORT")
    silta.slack.wait_for("chat.update")
    assert stored(silta, mention.id).category == "noise"
    assert len(silta.slack.calls_to("chat.postMessage")) == 1  # the digest itself


def test_moving_a_story_moves_its_copies_but_not_what_someone_filed_elsewhere(silta):
    text = "Acme export links are guessable: I can read another company's staff list"
    with silta.sessions.begin() as session:
        lead = store(session, text, source="x", author_name="Lena Voss")
        copy = store(session, text + " #infosec", source="bluesky", author_name="Lena Voss")
        retold = store(
            session,
            "#Acme export links are sequential: another company's staff list, one digit away",
            source="mastodon",
            author_name="Lena Voss",
        )
        filed = store(session, text, source="reddit", category="noise")
        other = store(session, "Acme export is slow today", source="x", author_name="Lena Voss")
    message = digest_message(silta, lead)
    silta.act(move_action(lead.id, "product"), message=message, channel="C0SUPPORT")
    (update,) = silta.slack.wait_for("chat.update")
    assert "Moved to *product* with its 2 copies by <@U0ALICE>" in json.dumps(update.params)
    categories = [stored(silta, m.id).category for m in (lead, copy, retold, filed, other)]
    assert categories == [*["product_feedback"] * 3, "noise", "support_issue"]
    assert [label.mention_id for label in labels(silta)] == [lead.id, copy.id, retold.id]


def test_moving_from_a_private_search_result_answers_privately(silta):
    with silta.sessions.begin() as session:
        mention = store(session, "Acme pricing for 50 seats?")
    path = silta.act(move_action(mention.id, "sales"))
    (note,) = silta.slack.wait_for("respond", path=path)
    assert note.params["response_type"] == "ephemeral"
    assert "Moved to *sales*" in note.params["text"]
    assert silta.slack.messages("C0SALES01")


def test_moving_to_a_channel_silta_is_not_in_keeps_the_label_and_says_how_to_fix(silta):
    silta.slack.fail("chat.postMessage", error="not_in_channel")
    with silta.sessions.begin() as session:
        mention = store(session, "Acme pricing?")
    path = silta.act(move_action(mention.id, "sales"))
    (note,) = silta.slack.wait_for("respond", path=path)
    assert "invite it with `/invite @Silta`" in note.params["text"]
    assert stored(silta, mention.id).category == "sales_lead"


def alert_two_people(silta) -> Mention:
    workspace = silta.config.workspace
    with silta.sessions.begin() as session:
        for user in ("U0ALICE", "U0BOB"):
            subscriptions.get_or_create(user, "urgent", "", session=session)
        mention = store(session, "Acme is down for everyone", urgency=0.95)
        alerts.enqueue([mention], workspace=workspace, session=session, now=mention.fetched_at)
    client = make_client(silta.config.settings, retry=Retry.POST_ONCE)
    assert (
        alerts.dispatch_due(sessions=silta.sessions, client=client, workspace=workspace).sent == 2
    )
    return mention


def test_acknowledge_records_who_and_when_and_updates_everyones_message(silta):
    mention = alert_two_people(silta)
    silta.act(
        {"type": "button", "action_id": ActionId.ACKNOWLEDGE, "value": str(mention.id)},
        user="U0BOB",
    )
    updates = silta.slack.wait_for("chat.update", 2)
    with silta.sessions() as session:
        rows = session.scalars(select(Alert).order_by(Alert.user_id)).all()
    assert {r.acknowledged_by for r in rows} == {"U0BOB"}
    assert all(r.acknowledged_at is not None for r in rows)
    assert {u.params["channel"] for u in updates} == {r.channel for r in rows}
    for update in updates:
        shown = json.dumps(update.params)
        assert "Acknowledged by <@U0BOB>" in shown
        assert ActionId.ACKNOWLEDGE.value not in shown


def test_not_urgent_is_a_correction_shown_to_every_recipient(silta):
    mention = alert_two_people(silta)
    silta.act({"type": "button", "action_id": ActionId.NOT_URGENT, "value": str(mention.id)})
    updates = silta.slack.wait_for("chat.update", 2)
    assert all("Marked not urgent by <@U0ALICE>" in json.dumps(u.params) for u in updates)
    (label,) = labels(silta)
    assert (label.origin, label.category) == ("slack_not_urgent", "support_issue")
    assert stored(silta, mention.id).urgency == 0.0


def alert_message(silta, user: str) -> tuple[str, dict]:
    """The channel and message of the alert DM `user` received, as a click would carry it."""
    with silta.sessions() as session:
        alert = session.scalars(select(Alert).where(Alert.user_id == user)).one()
    (message,) = [m for m in silta.slack.messages(alert.channel) if m["ts"] == alert.message_ts]
    return alert.channel, message


def test_moving_an_alert_updates_every_recipients_copy_once(silta):
    mention = alert_two_people(silta)
    channel, message = alert_message(silta, "U0BOB")
    silta.act(move_action(mention.id, "product"), user="U0BOB", message=message, channel=channel)
    updates = silta.slack.wait_for("chat.update", 2)
    with silta.sessions() as session:
        rows = session.scalars(select(Alert).order_by(Alert.user_id)).all()
    assert sorted((u.params["channel"], u.params["ts"]) for u in updates) == sorted(
        (r.channel, r.message_ts) for r in rows
    )
    for update in updates:
        assert "Moved to *product* by <@U0BOB>" in json.dumps(update.params)
    with pytest.raises(AssertionError, match="wanted 3"):
        silta.slack.wait_for("chat.update", 3, timeout=0.5)
    assert stored(silta, mention.id).category == "product_feedback"


def test_moving_from_a_digest_also_updates_the_alerts_about_it(silta):
    mention = alert_two_people(silta)
    message = digest_message(silta, mention)
    silta.act(move_action(mention.id, None), message=message, channel="C0SUPPORT")
    updates = silta.slack.wait_for("chat.update", 3)
    assert message["ts"] in {u.params["ts"] for u in updates}
    assert all("Moved to *Not relevant*" in json.dumps(u.params) for u in updates)


def test_open_is_acknowledged_and_changes_nothing(silta):
    silta.act({"type": "button", "action_id": ActionId.OPEN, "url": "https://x.example"})
    assert silta.slack.calls_to("chat.update") == []


def test_a_stale_more_button_says_to_search_again(silta):
    path = silta.act({"type": "button", "action_id": ActionId.SEARCH_MORE, "value": "garbage"})
    (note,) = silta.slack.wait_for("respond", path=path)
    assert "search again" in note.params["text"]
