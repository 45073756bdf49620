"""What a team's digest holds: counts against the period before, the mood, each story once
with all its links, and who acknowledged what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import commands
from bot.models import Alert, Mention
from bot.store import digests as claims
from bot.store import mentions, sources
from bot.store.mentions import NewMention
from digests.build import arrivals, build_digest, since_text, stories
from digests.periods import Period
from digests.render import digest_messages
from handlers.subcommands import parse
from tests.builders import FOUR_TEAMS, add, workspace

HOUR = Period(datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 10, tzinfo=UTC))
IN, BEFORE = HOUR.start + timedelta(minutes=10), HOUR.start - timedelta(minutes=10)


def test_counts_and_change_against_the_period_before(sessions):
    with sessions.begin() as session:
        for i in range(3):
            add(session, f"Acme login broken for me, attempt {i}", IN, sentiment=-0.5)
        add(session, "Acme works great again after the fix", IN, sentiment=0.6)
        for i in range(2):
            add(session, f"Acme billing error again, case {i}", BEFORE)
        add(session, "Acme is hiring a designer", IN, category="hiring_signal")
        add(session, "Acme outage yesterday", HOUR.end, sentiment=-0.9)  # the next period
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    assert digest.counts == {"support_issue": 4}
    assert (digest.total, digest.previous_total) == (4, 2)
    assert digest.change() == 1.0
    assert digest.sentiment == {"negative": 3, "neutral": 0, "positive": 1}
    assert digest.search == "/silta search team:support since:1h"
    asked = parse(digest.search.removeprefix("/silta "), teams=["support"])
    assert asked == commands.Search(team="support", since="1h")
    assert not digest.quiet


def test_top_stories_rank_by_urgency_then_engagement_and_reach(sessions):
    with sessions.begin() as session:
        add(session, "Acme app crashes on start every time", IN, urgency=0.2, engagement=900)
        add(session, "Acme deleted my data, need help now", IN, urgency=0.95)
        add(session, "Acme sync is slow today for everyone", IN, urgency=0.2, engagement=5)
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    assert [s.lead.text[:20] for s in digest.stories] == [
        "Acme deleted my data",
        "Acme app crashes on ",
        "Acme sync is slow to",
    ]


def test_what_the_classifier_was_unsure_of_waits_in_triage_not_in_the_digest(sessions):
    with sessions.begin() as session:
        add(session, "Acme login fails on every browser", IN, sentiment=-0.6)
        unsure = add(session, "Acme thing again, you know the one", IN, sentiment=0.5)
        unsure.confidence = 0.3  # below classifier.threshold (0.45)
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    assert digest.counts == {"support_issue": 1}
    assert [s.lead.text for s in digest.stories] == ["Acme login fails on every browser"]
    assert digest.sentiment == {"negative": 1, "neutral": 0, "positive": 0}
    assert digest.unsure == 1
    assert "1 more may be yours: `/silta triage`" in str(digest_messages(digest).main)


def test_a_cross_posted_story_is_shown_once_with_all_its_links(sessions):
    text = "Acme status page says all green but the API returns 503 for everyone"
    with sessions.begin() as session:
        add(session, text, IN, source="hn", engagement=50, url="https://hn.example/1")
        add(session, text + " https://t.co/x", IN, source="reddit", url="https://reddit.example/2")
        add(session, text, BEFORE, source="mastodon", url="https://mastodon.example/3")
        add(session, "Acme login page is broken on Safari today", IN)
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    assert len(digest.stories) == 2
    story = digest.stories[0]
    assert story.lead.source.name == "hn"
    assert story.links == [
        ("hn", "https://hn.example/1"),
        ("mastodon", "https://mastodon.example/3"),
        ("reddit", "https://reddit.example/2"),
    ]


def test_a_copy_published_before_the_period_is_found_and_short_texts_never_merge(session):
    hn = sources.get_or_create("hn", "hackernews", session=session)
    blog = sources.get_or_create("blog", "rss", session=session)
    mentions.insert_many(
        [NewMention("a", "Acme!", IN), NewMention("b", "Acme ships dark mode today", IN)],
        source_id=hn.id,
        session=session,
    )
    mentions.insert_many(
        [NewMention("c", "Acme!", BEFORE), NewMention("d", "acme ships dark-mode today", BEFORE)],
        source_id=blog.id,
        session=session,
    )
    on_hn = session.scalars(
        select(Mention).where(Mention.source_id == hn.id).order_by(Mention.id)
    ).all()
    grouped = stories(list(on_hn), HOUR, session=session)
    assert [len(s.mentions) for s in grouped] == [1, 2]
    assert grouped[1].sources == ["hn", "blog"]


def test_an_authors_retelling_on_another_network_joins_the_story(sessions):
    on_x = (
        "Acme's export links are guessable: one digit changed gave me another company's staff"
        " list. Reported 3 weeks ago. Disclosing in 7 days."
    )
    on_mastodon = (
        "#Acme export links are sequential. One digit changed = another company's staff list."
        " Reported 3 weeks ago, no answer. Disclosure in 7 days. #infosec"
    )
    with sessions.begin() as session:
        add(session, on_x, IN, source="x", author="Lena Voss", engagement=90)
        add(session, on_mastodon, IN, source="mastodon", author="Lena Voss")
        for role in ("Android", "iOS"):  # a series on one network: two posts
            add(session, f"Acme is hiring a Senior {role} Engineer in Lisbon", IN, source="x")
        digest = build_digest(
            "support", HOUR, workspace=workspace(FOUR_TEAMS), session=session, top=5
        )
    assert [story.sources for story in digest.stories] == [["x", "mastodon"], ["x"], ["x"]]


def test_acknowledged_alerts_say_who(sessions):
    with sessions.begin() as session:
        urgent = add(session, "Acme charged me twice, refund please", BEFORE, urgency=0.9)
        other = add(session, "Acme is hiring", BEFORE, category="hiring_signal", urgency=0.9)
        for mention, user in ((urgent, "U0ALICE"), (urgent, "U0BOB"), (other, "U0CAROL")):
            session.add(
                Alert(
                    mention_id=mention.id,
                    user_id=user,
                    status="sent",
                    sent_at=BEFORE,
                    acknowledged_by="U0ALICE" if mention is urgent else "U0CAROL",
                    acknowledged_at=IN,
                )
            )
        session.flush()
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    assert [(a.mention.id, a.user_id) for a in digest.acknowledged] == [(urgent.id, "U0ALICE")]


def test_quiet_period(sessions):
    with sessions.begin() as session:
        add(session, "Acme billing error", BEFORE)
        digest = build_digest("support", HOUR, workspace=workspace(FOUR_TEAMS), session=session)
    assert digest.quiet
    assert digest.previous_total == 1


def test_see_everything_covers_the_period():
    assert since_text(timedelta(hours=1)) == "1h"
    assert since_text(timedelta(hours=30)) == "30h"
    assert since_text(timedelta(days=3)) == "3d"
    assert since_text(timedelta(days=7, hours=1)) == "8d"


def test_the_next_digest_as_it_stands_holds_what_was_found_after_the_last_one(sessions):
    claimed_at = HOUR.end + timedelta(minutes=5)
    with sessions.begin() as session:
        claims.claim(
            "support", "digest", HOUR.start, HOUR.end, holder="w", now=claimed_at, session=session
        )
        add(session, "Acme checkout 500s", IN, fetched_at=claimed_at + timedelta(minutes=20))
        add(session, "Acme refund form broken", IN)  # fetched in time: it was in the last one
        after = Period(HOUR.end, HOUR.end + timedelta(hours=1))
        found = arrivals("support", after, session=session)
        digest = build_digest(
            "support", after, workspace=workspace(FOUR_TEAMS), session=session, arrivals=found
        )
        shown = [story.lead.text for story in digest.stories]
        assert (found.after, digest.total, shown) == (claimed_at, 1, ["Acme checkout 500s"])
