"""Which language a post is in, so English-only judgements are never applied to others.

py3langid ships its model, so nothing is downloaded at run time. Short posts fool every
identifier ("lol same" reads as Tagalog), so a post with little to read gets no language rather
than a wrong one, and a post made of common English words is taken as English without asking
the model, which also keeps the common case fast.
"""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.classify.text import letter_count, without_urls

MIN_LETTERS = 10
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 300
_ENGLISH = frozenset(
    """the a an and or but to of in on at for with from is are was were be been am i you he she
    it we they my your our their this that these not no do does did don't doesn't didn't have
    has had can can't will won't would should could please what why how when where there
    it's i'm just so if me us""".split()
)
_NAMES = re.compile(r"[@#]\w+")
_WORD = re.compile(r"[a-z']+")


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str | None:
    """An ISO 639-1 code, or None when the post is too short or too mixed to tell."""
    plain = _NAMES.sub(" ", without_urls(text))[:SAMPLE_CHARS]
    if letter_count(plain) < MIN_LETTERS:
        return None
    if plain.isascii() and _looks_english(plain):
        return "en"
    language, confidence = _identifier().classify(plain)
    return str(language) if confidence >= MIN_CONFIDENCE else None


def _looks_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    common = sum(word in _ENGLISH for word in words)
    return common >= 2 and common >= 0.2 * len(words)


def warm_up() -> None:
    """Load the identifier now rather than on the first post that needs it."""
    _identifier()
