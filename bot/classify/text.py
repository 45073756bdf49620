"""Cleaning untrusted social text before anything reads it.

Posts arrive as HTML fragments, 100 KB dumps, emoji-only replies or bare links. Every later
stage works on the output of `clean`, which is bounded in size and free of markup, so no stage
has to defend itself again.
"""

from __future__ import annotations

import html
import re

MAX_CHARS = 4000
"""The first few thousand characters decide a post's category; reading more only costs time."""

_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_QUOTES = ("\u2019", "\u2018", "\u02bc", "`")
_NOT = re.compile(
    r"\b(can|don|won|isn|aren|doesn|didn|wasn|weren|couldn|wouldn|shouldn|haven|hasn|hadn|ain)"
    r"(?: t|t)\b",
    re.IGNORECASE,
)
_CONTRACTION = re.compile(r"\b(i|you|we|they|it|that|there|he|she) (m|ve|re|ll|d|s)\b", re.I)


def clean(text: str | None, *, title: str | None = None) -> str:
    """Title and body as one line of plain text, cut short.

    Markup goes, entities are decoded, and apostrophes are mended ("can t", "cant", "can’t" all
    become "can't"): scraped reviews lose them, and every later stage reads them.
    """
    parts = [p for p in (title, text) if p and p.strip()]
    joined = " \n ".join(parts)[: MAX_CHARS * 4]
    plain = html.unescape(_TAG.sub(" ", joined))
    for quote in _QUOTES:
        plain = plain.replace(quote, "'")
    plain = _CONTRACTION.sub(r"\1'\2", _NOT.sub(r"\1't", plain))
    return _SPACE.sub(" ", plain).strip()[:MAX_CHARS]


def without_urls(text: str) -> str:
    return _URL.sub(" ", text)


def letter_count(text: str) -> int:
    """Letters in any script, so "👍👍" and "https://x.io" count as having nothing to say."""
    return len(_LETTER.findall(without_urls(text)))
