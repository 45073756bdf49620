from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.models import Mention
from bot.store import mentions, sources, stories
from bot.store.mentions import NewMention

AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_a_cross_post_is_one_story_with_a_link_per_source(session):
    hn = sources.get_or_create("hn", "hackernews", session=session)
    reddit = sources.get_or_create("reddit", "reddit", session=session)
    text = "Acme's new pricing doubles what small teams pay"
    mentions.insert_many(
        [
            NewMention("h1", text, AT, url="https://news.ycombinator.com/item?id=1"),
            NewMention("h2", "Acme is down", AT),
        ],
        source_id=hn.id,
        session=session,
    )
    mentions.insert_many(
        [
            NewMention(
                "r1",
                text.upper() + "!!! https://redd.it/x",
                AT + timedelta(hours=1),
                url="https://reddit.com/r/1",
            )
        ],
        source_id=reddit.id,
        session=session,
    )
    rows = session.scalars(select(Mention).order_by(Mention.published_at.desc(), Mention.id)).all()
    grouped = stories.group(rows, session=session)
    assert [s.lead.external_id for s in grouped] == ["r1", "h2"]
    cross = grouped[0]
    assert cross.sources == ["reddit", "hn"]
    assert cross.links == [
        ("reddit", "https://reddit.com/r/1"),
        ("hn", "https://news.ycombinator.com/item?id=1"),
    ]
    assert mentions.count(session=session) == 3


def test_copies_outside_the_list_are_found_and_short_texts_never_merge(session):
    hn = sources.get_or_create("hn", "hackernews", session=session)
    blog = sources.get_or_create("blog", "rss", session=session)
    mentions.insert_many(
        [NewMention("a", "Acme!", AT), NewMention("b", "Acme ships dark mode today", AT)],
        source_id=hn.id,
        session=session,
    )
    mentions.insert_many(
        [NewMention("c", "Acme!", AT), NewMention("d", "acme ships dark-mode today", AT)],
        source_id=blog.id,
        session=session,
    )
    hn_only = session.scalars(
        select(Mention).where(Mention.source_id == hn.id).order_by(Mention.id)
    ).all()
    grouped = stories.group(hn_only, session=session)
    assert [len(s.mentions) for s in grouped] == [1, 2]
    assert grouped[1].sources == ["hn", "blog"]
