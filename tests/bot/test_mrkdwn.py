from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.mrkdwn import escape, excerpt, visible_url

EVIL = "hey <!channel> <!here> <@U123> see <https://evil.example|bank> & more"


def test_control_sequences_become_visible_text():
    shown = escape(EVIL)
    assert "<" not in shown and ">" not in shown
    assert "&lt;!channel&gt;" in shown
    assert "&lt;@U123&gt;" in shown
    assert "&lt;https://evil.example|bank&gt;" in shown
    assert "&amp; more" in shown


def test_bare_broadcast_words_are_broken():
    assert "@channel" not in escape("@channel @here @everyone look")
    assert "channel" in escape("@channel")


@given(st.text())
def test_nothing_unescaped_survives(text):
    shown = escape(text)
    assert "<" not in shown and ">" not in shown
    assert "&" not in shown.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


@given(st.text(), st.integers(min_value=2, max_value=300))
def test_excerpt_fits_and_never_splits_an_entity(text, limit):
    shown = excerpt(text, limit)
    assert len(shown) <= limit
    assert "<" not in shown
    tail = shown.rsplit("&", 1)[-1] if "&" in shown else ""
    assert not tail or tail.startswith(("amp;", "lt;", "gt;"))


def test_links_are_shown_as_themselves_and_only_http():
    assert visible_url("https://ok.example/a?b=1&c=2") == "https://ok.example/a?b=1&amp;c=2"
    assert visible_url("javascript:alert(1)") == ""
    assert visible_url(None) == ""
