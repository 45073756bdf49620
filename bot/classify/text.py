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
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_QUOTES = ("\u2019", "\u2018", "\u02bc", "`")
_NOT = re.compile(
    r"\b(?=[acdhiswACDHISW])(can|don|won|isn|aren|doesn|didn|wasn|weren|couldn|wouldn|shouldn|haven|hasn|hadn|ain)"
    r"(?: t|t)\b",
    re.IGNORECASE,
)
_CONTRACTION = re.compile(
    r"\b(?=[hiystwHIYSTW])(i|you|we|they|it|that|there|he|she) (m|ve|re|ll|d|s)\b", re.I
)


def clean(text: str | None, *, title: str | None = None) -> str:
    """Title and body as one line of plain text, cut short.

    Markup goes, entities are decoded, and apostrophes are mended ("can t", "cant", "can’t" all
    become "can't"): scraped reviews lose them, and every later stage reads them.
    """
    parts = [p for p in (title, text) if p and p.strip()]
    plain = " \n ".join(parts)[: MAX_CHARS * 4]
    if "<" in plain:
        plain = _TAG.sub(" ", plain)
    if "&" in plain:
        plain = html.unescape(plain)
    for quote in _QUOTES:
        if quote in plain:
            plain = plain.replace(quote, "'")
    plain = _CONTRACTION.sub(r"\1'\2", _NOT.sub(r"\1't", plain))
    return " ".join(plain.split())[:MAX_CHARS]  # what `\s+` → " " and strip() do, faster


def without_urls(text: str) -> str:
    if "://" not in text and "www." not in text.lower():
        return text  # nothing `_URL` could match
    return _URL.sub(" ", text)


def letter_count(text: str) -> int:
    """Letters in any script, so "👍👍" and "https://x.io" count as having nothing to say."""
    return len(_LETTER.findall(without_urls(text)))


def readable(text: str) -> bool:
    """Has at least one letter outside links: the quick form of `letter_count(text) > 0`."""
    return _LETTER.search(text) is not None and _LETTER.search(without_urls(text)) is not None
