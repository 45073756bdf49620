"""The digest as people see it: short on top, details in the thread, safe, within limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.blocks import MAX_BLOCKS, SECTION_TEXT
from bot.ids import ActionId
from bot.models import Alert
from digests.build import build_digest, upcoming
from digests.periods import Period
from digests.render import digest_blocks, digest_messages, preview_blocks
from tests.builders import FOUR_TEAMS, add, workspace

HOUR = Period(datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 10, tzinfo=UTC))
IN = HOUR.start + timedelta(minutes=10)


def texts(blocks):
    """Every text a block carries, with the block type: sections, fields, contexts."""
    for block in blocks:
        for part in [block.get("text"), *(block.get("fields") or [])]:
            if part:
                yield block["type"], part["text"]
        for element in block.get("elements") or []:
            if "text" in element and isinstance(element["text"], str):
                yield block["type"], element["text"]


def within_limits(messages):
    for blocks in messages.all_blocks:
        assert 0 < len(blocks) <= MAX_BLOCKS
        for kind, text in texts(blocks):
            assert len(text) <= (150 if kind == "header" else SECTION_TEXT)


def test_main_message_is_short_and_the_rest_is_in_the_thread(sessions):
    with sessions.begin() as session:
        for i in range(8):
            add(session, f"Acme problem number {i} with the login page", IN, urgency=i / 10)
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
        messages = digest_messages(digest)
    main = json.dumps(messages.main, ensure_ascii=False)
    assert messages.main[0]["text"]["text"] == "Support digest"
    assert "Tue 24 Nov 09:00 – 10:00 (UTC)" in main
    assert "*8 mentions* (none the period before)" in main
    assert main.count(ActionId.MOVE) == 3
    assert "/silta search team:support since:1h" in main
    assert "more in the thread" in main
    thread = json.dumps(messages.thread, ensure_ascii=False)
    assert thread.count(ActionId.MOVE) == 5
    assert "Acme problem number 7" in main and "Acme problem number 0" in thread
    assert digest_blocks(digest) == messages.main


def test_cross_post_is_one_story_with_every_link(sessions):
    text = "Acme status page says all green but the API returns 503 for everyone"
    with sessions.begin() as session:
        add(session, text, IN, source="hn", url="https://hn.example/1", urgency=0.5)
        add(session, text, IN, source="reddit", url="https://reddit.example/2")
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
        main = json.dumps(digest_messages(digest).main, ensure_ascii=False)
    assert main.count("API returns 503") == 1
    assert "Also on reddit: https://reddit.example/2" in main


def test_social_text_cannot_ping_or_hide_links(sessions):
    with sessions.begin() as session:
        add(
            session,
            "Acme <!channel> see <https://evil.example|your bank> @here",
            IN,
            author="<@U0BOSS>",
            title="<!everyone> Acme",
        )
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
        main = json.dumps(digest_messages(digest).main, ensure_ascii=False)
    for dangerous in ("<!channel>", "<!everyone>", "<https://evil", "<@U0BOSS>"):
        assert dangerous not in main
    assert "&lt;!channel&gt;" in main and "&lt;https://evil.example|your bank&gt;" in main


def test_quiet_period_is_one_line(sessions):
    with sessions.begin() as session:
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    messages = digest_messages(digest)
    assert len(messages.main) == 1 and messages.thread == []
    assert "nothing new" in messages.main[0]["text"]["text"]


def test_many_mentions_and_acknowledgements_stay_within_block_kit_limits(sessions):
    long = "Acme " + "really long complaint about everything " * 200
    with sessions.begin() as session:
        found = [
            add(session, f"{long} {i}", IN, urgency=0.9, title="T" * 500, author="a" * 250)
            for i in range(80)
        ]
        for i, mention in enumerate(found):
            session.add(
                Alert(
                    mention_id=mention.id,
                    user_id=f"U{i:08d}",
                    status="sent",
                    acknowledged_by=f"U{i:08d}",
                    acknowledged_at=IN,
                )
            )
        session.flush()
        digest = build_digest(
            "support", HOUR, workspace=workspace(FOUR_TEAMS), session=session, top=80
        )
        messages = digest_messages(digest)
    within_limits(messages)
    assert len(messages.thread) >= 3
    everything = json.dumps(messages.all_blocks)
    assert everything.count(ActionId.MOVE) == 80
    assert everything.count("acknowledged <!date") == 80


def test_the_slash_command_preview_shows_the_next_digest_so_far(sessions):
    now = HOUR.end + timedelta(minutes=20)
    ws = workspace(FOUR_TEAMS)
    with sessions.begin() as session:
        add(session, "Acme checkout is failing right now", HOUR.end + timedelta(minutes=5))
        add(session, "Acme old news from the last digest", IN)
        period = upcoming("support", workspace=ws, session=session, now=now)
        blocks = preview_blocks(build_digest("support", period, workspace=ws, session=session))
    assert (period.start, period.end) == (HOUR.end, now)
    shown = json.dumps(blocks)
    assert "Only you can see this" in shown
    assert "checkout is failing" in shown and "old news" not in shown


def test_the_headline_says_the_change_against_the_period_before(sessions):
    with sessions.begin() as session:
        for i in range(3):
            add(session, f"Acme error {i} in the dashboard again", IN)
        for i in range(2):
            add(session, f"Acme error {i} from before", HOUR.start - timedelta(minutes=5))
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    main = json.dumps(digest_messages(digest).main, ensure_ascii=False)
    assert "*3 mentions* (▲ 50% vs 2 the period before)" in main
    assert "*Support issue*\\n3 (▲ 50%)" in main
