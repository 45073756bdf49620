from datetime import UTC, datetime, timedelta

from bot.store import health, sources

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_status_words_follow_the_record(session):
    source = sources.get_or_create("hn", "hackernews", session=session)
    assert health.status(source, now=NOW) == "new"
    health.record_success(source.id, at=NOW, items=3, session=session)
    assert health.status(source, now=NOW) == "ok"
    health.record_failure(source.id, at=NOW, error="hn: HTTP 500", items=0, session=session)
    health.record_failure(source.id, at=NOW, error="hn: HTTP 500", items=0, session=session)
    assert (health.status(source, now=NOW), source.consecutive_failures) == ("failing", 2)
    health.record_failure(
        source.id,
        at=NOW,
        error="hn: 429",
        items=0,
        retry_at=NOW + timedelta(minutes=5),
        session=session,
    )
    assert health.status(source, now=NOW) == "waiting"
    assert health.status(source, now=NOW + timedelta(minutes=6)) == "failing"
    health.record_success(source.id, at=NOW, items=1, session=session)
    assert health.status(source, now=NOW) == "ok"
    assert source.retry_at is None
    assert source.last_error == "hn: 429"
    assert health.status(None, now=NOW, configured=False) == "unconfigured"
