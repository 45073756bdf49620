from datetime import UTC, datetime

import pytest

from bot.errors import SourceError
from bot.sources import source_config
from tests.fakes.sources import Reply
from tests.polling import fixture, poll


def feed(server, path="/feed.xml", **kw):
    return source_config(
        name="blog", kind="rss", url=f"https://blog.example{path}", base_url=server.url, **kw
    )


def test_rss2_with_whitespace_before_the_declaration_is_read_and_normalised(server, client):
    server.add(
        "/feed.xml", Reply(200, fixture("rss2.xml"), {"Content-Type": "application/rss+xml"})
    )
    polled = poll(client, feed(server))
    first, second = polled.mentions
    assert first.external_id == "forum-1"
    assert first.title == "Acme login & billing broken"
    assert first.text == "Since the update I can't log in to Acme."
    assert first.url == "https://forum.example/t/1"
    assert first.author == "maria"
    assert first.published_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert second.external_id == "forum-2"


@pytest.mark.parametrize(
    ("name", "title", "text"),
    [
        ("rss091.xml", "Acme café opens", "Acme opened a café."),
        ("rss10.xml", "Why we moved to Acme", "Our story with acme.io"),
    ],
)
def test_older_dialects_are_read(server, client, name, title, text):
    server.add("/feed.xml", Reply(200, fixture(name), {"Content-Type": "text/xml"}))
    (only,) = poll(client, feed(server)).mentions
    assert (only.title, only.text) == (title, text)


def test_google_alerts_links_point_at_the_article_and_markup_is_gone(server, client):
    server.add("/feed.xml", Reply(200, fixture("google_alerts.xml")))
    (alert,) = poll(client, feed(server, match="all")).mentions
    assert alert.url == "https://news.example/acme-series-b"
    assert alert.title == "Acme raises Series B to fix support"
    assert alert.text == "The company said its support queue & refunds would improve."


def test_conditional_get_sends_the_validators_and_a_304_changes_nothing(server, client):
    headers = {"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 10:00:00 GMT"}
    server.add("/feed.xml", Reply(200, fixture("rss2.xml"), headers), Reply(304))
    first = poll(client, feed(server))
    assert first.cursor == {"etag": '"v1"', "modified": "Fri, 20 Nov 2026 10:00:00 GMT"}
    second = poll(client, feed(server), first.cursor)
    assert second.mentions == []
    assert second.cursor == first.cursor
    asked = server.seen("/feed.xml")[1].headers
    assert asked["if-none-match"] == '"v1"'
    assert asked["if-modified-since"] == "Fri, 20 Nov 2026 10:00:00 GMT"


def test_an_entity_bomb_is_refused_with_a_clear_error(server, client):
    server.add("/feed.xml", Reply(200, fixture("bomb.xml")))
    with pytest.raises(SourceError, match=r"declares XML entities.*entity bomb"):
        poll(client, feed(server))


def test_invalid_xml_is_refused_and_names_where(server, client):
    server.add("/feed.xml", Reply(200, fixture("truncated.xml")))
    with pytest.raises(SourceError, match=r"blog: the feed is not well-formed XML \(.*line 2"):
        poll(client, feed(server))


def test_html_instead_of_a_feed_is_refused(server, client):
    server.add("/feed.xml", Reply(200, b"<html><body><p>Login</p></body></html>"))
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        poll(client, feed(server))


def test_base_url_replaces_the_host_and_keeps_path_and_query(server, client):
    server.add("/alerts/feeds/1/2", Reply(200, fixture("google_alerts.xml")))
    source = source_config(
        name="alerts",
        kind="rss",
        url="https://www.google.com/alerts/feeds/1/2?hl=en",
        base_url=server.url,
    )
    assert len(poll(client, source).mentions) == 1
    assert server.seen("/alerts/feeds/1/2")[0].query == {"hl": "en"}
