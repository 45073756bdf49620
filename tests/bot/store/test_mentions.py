import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot import db
from bot.db import session_scope
from bot.models import Mention
from bot.store import mentions, sources
from bot.store.mentions import NewMention, SearchQuery

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make(external_id: str, text: str, minutes_ago: int = 0, **kw) -> NewMention:
    return NewMention(
        external_id=external_id, text=text, published_at=NOW - timedelta(minutes=minutes_ago), **kw
    )


def test_a_digest_claim_waits_for_a_poll_still_writing_what_it_fetched(engine):
    """Without the wait, a find stamped before the claim but committed after the digest read
    would be in neither that digest nor the next."""
    sessions = db.make_session_factory(engine)
    holding, release, claimed = threading.Event(), threading.Event(), threading.Event()

    def poll() -> None:
        with session_scope(sessions) as session:
            mentions.hold_arrivals(session)
            holding.set()
            release.wait(timeout=10)

    def claim() -> None:
        with session_scope(sessions) as session:
            mentions.hold_arrivals(session, claiming=True)
            claimed.set()

    poller = threading.Thread(target=poll)
    poller.start()
    assert holding.wait(timeout=10)
    claimer = threading.Thread(target=claim)
    claimer.start()
    assert not claimed.wait(timeout=0.5)
    release.set()
    assert claimed.wait(timeout=10)
    poller.join(timeout=10)
    claimer.join(timeout=10)


def test_a_repeated_batch_stores_nothing_twice(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    batch = [make("1", "Acme is down again"), make("2", "Acme refunds take weeks")]
    first = mentions.insert_many(batch, source_id=source.id, session=session)
    again = mentions.insert_many(
        [*batch, make("3", "new one about Acme")], source_id=source.id, session=session
    )
    assert len(first) == 2
    assert len(again) == 1
    assert mentions.count(session=session) == 3


def test_the_same_external_id_from_another_source_is_kept(session):
    hn = sources.get_or_create("hn", "hackernews", session=session)
    reddit = sources.get_or_create("reddit", "reddit", session=session)
    mentions.insert_many([make("1", "Acme")], source_id=hn.id, session=session)
    assert mentions.insert_many([make("1", "Acme")], source_id=reddit.id, session=session)


def test_a_cross_post_shares_its_content_hash():
    a = mentions.content_hash("Acme is down", "Anyone else? https://a.example/x")
    b = mentions.content_hash("ACME is down!", "anyone else  https://b.example/y")
    assert a == b
    assert a != mentions.content_hash("Acme is up", "Anyone else?")


def test_search_stems_ignores_stop_words_and_orders_by_recency(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    mentions.insert_many(
        [
            make("old", "Still waiting for my refund from Acme", minutes_ago=60),
            make("new", "Acme refunds are slow", minutes_ago=5),
            make("other", "Acme shipped a new dashboard", minutes_ago=1),
        ],
        source_id=source.id,
        session=session,
    )
    found = mentions.search(SearchQuery(words="the refund"), session=session)
    assert [m.external_id for m in found] == ["new", "old"]


def test_search_follows_edits_and_deletes(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    (mention_id,) = mentions.insert_many(
        [make("1", "Acme invoice wrong")], source_id=source.id, session=session
    )
    session.execute(
        update(Mention).where(Mention.id == mention_id).values(text="Acme login broken")
    )
    assert not mentions.search(SearchQuery(words="invoice"), session=session)
    assert mentions.search(SearchQuery(words="login"), session=session)
    session.delete(session.get(Mention, mention_id))
    session.flush()
    assert not mentions.search(SearchQuery(words="login"), session=session)


def test_search_filters_by_category_source_time_and_sentiment(session):
    hn = sources.get_or_create("hn", "hackernews", session=session)
    reddit = sources.get_or_create("reddit", "reddit", session=session)
    ids = mentions.insert_many(
        [make("a", "Acme billing angry", 10), make("b", "Acme billing happy", 20)],
        source_id=hn.id,
        session=session,
    )
    mentions.insert_many([make("c", "Acme billing", 30)], source_id=reddit.id, session=session)
    session.execute(
        update(Mention).where(Mention.id == ids[0]).values(category="support_issue", sentiment=-0.6)
    )
    session.execute(
        update(Mention).where(Mention.id == ids[1]).values(category="sales_lead", sentiment=0.5)
    )

    def found(**kw):
        return [
            m.external_id for m in mentions.search(SearchQuery("billing", **kw), session=session)
        ]

    assert found(categories=["support_issue"]) == ["a"]
    assert found(source="reddit") == ["c"]
    assert found(since=NOW - timedelta(minutes=15)) == ["a"]
    assert found(sentiment="positive") == ["b"]
    assert found(sentiment="negative") == ["a"]
    assert found(limit=1, offset=1) == ["b"]


def test_counts_by_category_in_a_window(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    ids = mentions.insert_many(
        [make(str(i), f"Acme {i}", minutes_ago=i * 60 * 24) for i in range(10)],
        source_id=source.id,
        session=session,
    )
    session.execute(update(Mention).where(Mention.id.in_(ids[:3])).values(category="noise"))
    session.execute(update(Mention).where(Mention.id.in_(ids[3:])).values(category="sales_lead"))
    counts = mentions.count_by_category(
        NOW - timedelta(days=7), NOW + timedelta(1), session=session
    )
    assert counts == {"noise": 3, "sales_lead": 5}


def test_top_puts_urgent_then_engaged_first(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    ids = mentions.insert_many(
        [
            make("calm", "Acme", engagement=900),
            make("urgent", "Acme down", engagement=1),
            make("engaged", "Acme", engagement=50),
        ],
        source_id=source.id,
        session=session,
    )
    session.execute(update(Mention).where(Mention.id == ids[1]).values(urgency=0.9))
    session.execute(update(Mention).where(Mention.id.in_([ids[0], ids[2]])).values(urgency=0.1))
    top = mentions.top(NOW - timedelta(1), NOW + timedelta(1), session=session, limit=2)
    assert [m.external_id for m in top] == ["urgent", "calm"]


def test_published_times_come_back_in_utc(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    helsinki = datetime(2026, 11, 20, 14, 0, tzinfo=UTC).astimezone()
    (mention_id,) = mentions.insert_many(
        [NewMention("1", "Acme", helsinki)], source_id=source.id, session=session
    )
    session.expire_all()
    stored = session.get(Mention, mention_id)
    assert stored.published_at == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert stored.published_at.tzinfo is not None


def test_every_field_survives_the_batch_insert(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    given = NewMention(
        external_id="42",
        text="Acme's app crashes",
        published_at=NOW,
        url="https://news.example.com/item?id=42",
        author="pat",
        author_name="Pat Doe",
        reach=12_000_000_000,
        title="Ask HN: Acme crashes?",
        language="en",
        parent_url="https://news.example.com/item?id=1",
        engagement=7,
        extra={"points": 3, "tags": ["story"]},
    )
    (mention_id,) = mentions.insert_many([given], source_id=source.id, session=session)
    session.expire_all()
    stored = session.get(Mention, mention_id)
    for name in ("text", "url", "author", "author_name", "reach", "title", "language"):
        assert getattr(stored, name) == getattr(given, name), name
    assert stored.parent_url == given.parent_url
    assert stored.engagement == 7
    assert stored.extra == {"points": 3, "tags": ["story"]}
    assert stored.content_hash == mentions.content_hash(given.title, given.text)
    assert stored.source.name == "hn"
