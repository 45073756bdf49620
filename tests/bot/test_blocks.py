from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import Block

from bot import blocks, commands
from bot.ids import ActionId
from bot.models import Mention, Source
from bot.store.stats import PeriodStats

EVIL = "Urgent <!channel> <!here> <@U123> log in at <https://evil.example|bank> & now @everyone"
TEAMS = ["support", "product", "sales"]


def mention(**overrides) -> Mention:
    values = {
        "id": 42,
        "title": "Refund <@U999>",
        "text": EVIL,
        "url": "https://news.example/item?id=1&x=2",
        "author": "mallory",
        "author_name": "<!subteam^S1|everyone>",
        "published_at": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "category": "support_issue",
        "confidence": 0.81,
        "sentiment": -0.6,
        "urgency": 0.9,
        "source": Source(name="hn", kind="hackernews"),
    }
    return Mention(**{**values, **overrides})


def all_text(found: list[dict]) -> str:
    return json.dumps(found, ensure_ascii=False)


def test_social_text_pings_no_one_and_hides_no_link():
    found = blocks.mention_blocks(mention(), TEAMS)
    text = all_text(found)
    for control in ("<!channel>", "<!here>", "<@U123>", "<@U999>", "<https://evil", "<!subteam"):
        assert control not in text
    assert "&lt;https://evil.example|bank&gt;" in text
    assert "https://news.example/item?id=1&amp;x=2" in text


def test_every_mention_has_a_move_menu_with_every_team_and_not_relevant():
    section = blocks.mention_blocks(mention(), TEAMS)[0]
    menu = section["accessory"]
    assert menu["action_id"] == ActionId.MOVE
    labels = [o["text"]["text"] for o in menu["options"]]
    assert labels == [*TEAMS, "Not relevant"]
    values = [blocks.parse_move_value(o["value"]) for o in menu["options"]]
    assert values == [(42, "support"), (42, "product"), (42, "sales"), (42, None)]


def test_byline_shows_source_author_time_sentiment_and_category():
    meta = blocks.mention_blocks(mention(), TEAMS)[1]["elements"][0]["text"]
    assert "*hn*" in meta
    assert "negative" in meta
    assert "Support issue 81%" in meta
    assert "<!date^" in meta and "2026-11-20 09:30 UTC" in meta


def test_huge_text_and_many_teams_stay_within_slack_limits():
    many = [f"team-{i}" for i in range(150)]
    found = blocks.mention_blocks(mention(text="x" * 50_000, title="t" * 5000), many)
    section = found[0]
    assert len(section["text"]["text"]) <= blocks.SECTION_TEXT
    assert len(section["accessory"]["options"]) == blocks.MAX_OPTIONS
    assert section["accessory"]["options"][-1]["text"]["text"] == "Not relevant"
    for block in found:
        Block.parse(block).validate_json()


def test_alert_blocks_offer_acknowledge_not_urgent_and_open_then_show_who_acknowledged():
    found = blocks.alert_blocks(mention(), TEAMS, reason="Urgent mention (urgency 90%)")
    buttons = [e["action_id"] for b in found if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ActionId.ACKNOWLEDGE, ActionId.NOT_URGENT, ActionId.OPEN]
    done = blocks.alert_blocks(
        mention(),
        TEAMS,
        reason="x",
        acknowledged_by="U0BOB",
        acknowledged_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
    )
    assert "Acknowledged by <@U0BOB>" in done[0]["text"]["text"]
    assert ActionId.ACKNOWLEDGE not in all_text(done)


def test_open_button_only_for_web_links():
    assert blocks.open_button(mention(url="javascript:alert(1)")) == []
    assert blocks.open_button(mention(url=None)) == []


def test_search_results_page_with_a_more_button_that_carries_the_query():
    query = commands.Search(words="refund", team="support", since="7d")
    found = blocks.search_blocks(
        query, [mention(id=i) for i in range(10)], TEAMS, offset=10, has_more=True
    )
    assert "Results 11–20" in found[0]["text"]["text"]
    more = found[-1]["elements"][0]
    assert more["action_id"] == ActionId.SEARCH_MORE
    assert json.loads(more["value"]) == {"q": "refund team:support since:7d", "o": 20}
    assert len(found) <= blocks.MAX_BLOCKS


def test_search_with_nothing_found_says_so_escaped():
    query = commands.Search(words="<!channel>")
    found = blocks.search_blocks(query, [], TEAMS, offset=0, has_more=False)
    assert "Nothing found for `&lt;!channel&gt;`" in found[0]["text"]["text"]


def test_chunks_keep_a_mentions_blocks_together_and_under_fifty():
    many: list[dict] = []
    for i in range(40):
        many += blocks.mention_blocks(mention(id=i), TEAMS, buttons=blocks.open_button(mention()))
    groups = blocks.chunks(many)
    assert all(len(g) <= 50 for g in groups)
    assert sum(len(g) for g in groups) == len(many)
    for group in groups:
        owners = [b["block_id"].split(":")[1] for b in group]
        assert owners.count(owners[0]) == 3 and owners.count(owners[-1]) == 3


def test_annotate_puts_a_note_under_the_mention_and_replaces_an_old_one():
    message = blocks.mention_blocks(mention(id=1), TEAMS) + blocks.mention_blocks(
        mention(id=2), TEAMS
    )
    once = blocks.annotate(message, 1, "Moved to *sales*")
    twice = blocks.annotate(once, 1, "Moved to *product*")
    assert len(twice) == len(message) + 1
    assert twice[2]["block_id"] == "mention:1:note"
    assert "Moved to *product*" in all_text(twice)
    assert "Moved to *sales*" not in all_text(twice)


@pytest.mark.parametrize(("values", "line"), [([0, 0], "▁▁"), ([1, 2, 4, 8], "▂▃▅█"), ([], "")])
def test_sparkline(values, line):
    assert blocks.sparkline(values) == line


def test_a_sparkline_can_start_from_a_negative_floor_and_leave_gaps():
    assert blocks.sparkline([-4, None, 3, -1], floor=-4) == "▁ █▄"


def test_stats_show_count_change_sentiment_sources_and_sparkline():
    stats = PeriodStats(
        since=datetime(2026, 11, 13, tzinfo=UTC),
        until=datetime(2026, 11, 20, tzinfo=UTC),
        total=30,
        previous=20,
        per_day=[1, 2, 3, 4, 5, 6, 9],
        sentiment={"negative": 15, "neutral": 9, "positive": 6},
        sources=[("<!channel>", 20), ("hn", 10)],
    )
    text = all_text(blocks.stats_blocks("Mentions · all · last 7d", stats))
    assert "30 (▲ 50% vs the period before)" in text
    assert "negative 50%" in text
    assert "&lt;!channel&gt; (20)" in text
    assert "`▂▃▃▄▅▆█`" in text


def test_home_view_is_a_valid_home_tab():
    from bot.preferences import Settings
    from bot.store.health import SourceHealth

    view = blocks.home_view(
        Settings(subscriptions=[], mutes=[]),
        {"support": 3},
        [
            SourceHealth(
                "hn", "hackernews", "failing", None, None, None, "HTTP 500 <!here>", 1, 0, None
            )
        ],
        ([], []),
    )
    assert view["type"] == "home"
    assert "*support*: 3" in all_text(view)
    assert "<!here>" not in all_text(view)
