from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.ingest.normalize import html_to_text, mention, safe_url, to_utc, unwrap_redirect


def test_html_becomes_plain_text_with_paragraphs_and_decoded_entities():
    html = (
        "<p>Acme&#x27;s app &amp; <b>billing</b></p><p>is down<br>again</p>"
        "<script>alert(1)</script><style>p{}</style>"
    )
    assert html_to_text(html) == "Acme's app & billing\nis down\nagain"


def test_mastodon_invisible_link_parts_are_kept_as_one_link():
    html = (
        '<a href="https://www.youtube.com/x"><span class="invisible">https://www.</span>'
        '<span class="">youtube.com/x</span><span class="invisible"></span></a>'
    )
    assert html_to_text(html) == "https://www.youtube.com/x"


@given(st.text())
def test_any_text_comes_out_without_control_characters_or_outer_space(text):
    cleaned = html_to_text(text)
    assert cleaned == cleaned.strip()
    assert not any(ord(c) < 32 and c != "\n" for c in cleaned)


def test_times_in_every_shape_become_utc():
    expected = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    for value in (
        1795176000,
        "1795176000",
        "2026-11-20T12:00:00Z",
        "2026-11-20T14:00:00+02:00",
        "Fri, 20 Nov 2026 12:00:00 +0000",
        "2026-11-20T12:00:00",
    ):
        assert to_utc(value) == expected, value
    assert to_utc("next tuesday") is None


def test_only_web_links_survive():
    assert safe_url("https://acme.io/x") == "https://acme.io/x"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://acme.io/a b") is None
    assert safe_url("data:text/html,hi") is None


def test_google_alerts_links_are_unwrapped_to_the_article():
    wrapped = (
        "https://www.google.com/url?rct=j&sa=t&url=https://news.example/acme-raises&ct=ga&usg=AF"
    )
    assert unwrap_redirect(wrapped) == "https://news.example/acme-raises"
    assert unwrap_redirect("https://news.example/a") == "https://news.example/a"


def test_a_mention_is_clipped_to_fit_every_database():
    built = mention(external_id="x" * 400, published_at=None, text="hi\x00", language="en-GB" * 9)
    assert len(built.external_id) == 255
    assert built.text == "hi"
    assert len(built.language) == 16
    assert built.published_at.tzinfo is UTC


def test_imported_plain_text_keeps_what_was_literally_written():
    built = mention(external_id="1", published_at=None, text="AT&amp;T <br> Acme", plain=True)
    assert built.text == "AT&amp;T <br> Acme"
