from __future__ import annotations

import pytest

from bot.classify import language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't log in to my account since this morning", "en"),
        ("Mi pedido no ha llegado y nadie responde", "es"),
        ("Das ist leider schon wieder kaputt gegangen", "de"),
        ("Мой заказ так и не пришёл, поддержка молчит", "ru"),
        ("lol", None),
        ("👍🔥", None),
        ("https://example.com/a-very-long-link-with-words", None),
        ("", None),
    ],
)
def test_languages_are_named_or_left_unknown(text, expected):
    assert language.detect(text) == expected
