"""The languages Silta reads besides English, each from one data file: `<code>.toml` here.

The model learns from an English seed corpus many times larger than any other language's, and
a linear model over n-grams knows nothing of a word it never saw. So each language's file
carries what lets the English knowledge apply to it:

- `gloss`: its words with their English equivalents. A post's glosses are appended to it, so
  "sovellus kaatuu" also reads "app crash" and meets every weight, cue and topic the English
  corpus taught. A word listed itself takes its own gloss; any other is matched on its Snowball
  stem (PyStemmer, the Snowball project's own binding), so one key covers its inflected forms;
  a compound no key covers ("asiakaspalvelu", "Kundenservice") is read by two known parts.
- `cues` and `alarms`: the language's phrases for each cue (`bot.classify.cues`) and urgency
  alarm (`bot.classify.urgency`), so evidence and urgency reasons read as they do in English.
- `switching`: the words that, next to a competitor's name, make a post a lead (`context`).

Each language also has its own seed posts (`bot/classify/seed/<code>/`), written in it.
A language with no file here is not read: its posts are held back for triage (`service`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

STEMMERS = {
    "fi": "finnish",
    "sv": "swedish",
    "de": "german",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
    "nl": "dutch",
    "da": "danish",
    "nb": "norwegian",
}
"""Every language read besides English, with its Snowball stemmer."""
READ = ("en", *STEMMERS)
ALIASES = {"no": "nb", "nn": "nb"}
"""The identifier's names for a language read under another code (py3langid says "no")."""
COMPOUNDING = frozenset({"fi", "sv", "de", "nl", "da", "nb"})
"""Languages that write compounds as one word, whose parts are looked up when the whole is not."""
ALARM_TOPICS = {
    "outage": "an outage",
    "security": "a security problem",
    "disclosure": "a public disclosure",
    "legal": "legal action",
    "money": "money",
}
"""Alarm names in the files, and the topics `urgency` knows them by."""
REMEMBERED = 200_000
"""Words whose glosses a process remembers: social text repeats its words, and a bound keeps a
worker that runs for months from remembering every typo it ever read."""
MARK = "_lang_"
"""Opens the line of English words `gloss` appends, followed by the language's code."""
MIN_PART = 4
"""Letters a compound's part needs before it is looked up on its own."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def code(detected: str | None) -> str | None:
    """The code Silta uses for an identified language ("no" is read as Norwegian Bokmål)."""
    return ALIASES.get(detected, detected) if detected else None


def reads(language: str | None) -> bool:
    """True for English and the languages with a file here; None (too short to tell) counts as
    read, since the model's own reading is all there is."""
    return language is None or code(language) in READ


@dataclass
class Lexicon:
    """One language's data, compiled: glosses by stem, phrase lists by name."""

    code: str
    name: str
    words: dict[str, tuple[str, ...]]
    """Glosses by the listed word itself, which win over a stem's: "que" (that) and "qué"
    (what) share a stem, as do "busco" (looking for) and "buscar" (search)."""
    gloss: dict[str, tuple[str, ...]]
    """Glosses by stem, for the inflected forms no key lists."""
    cues: dict[str, tuple[str, ...]]
    alarms: dict[str, tuple[str, ...]]
    switch_before: tuple[str, ...]
    switch_after: tuple[str, ...]
    _seen: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def english(self, text: str) -> list[str]:
        """The English words of a text's words, in order; words without a gloss give none."""
        seen = self._seen
        found: list[str] = []
        for word in _WORD.findall(text.lower()):
            words = seen.get(word)
            if words is None:
                words = self._look_up(word)
                if len(seen) < REMEMBERED:
                    seen[word] = words
            found += words
        return found

    def _look_up(self, word: str) -> tuple[str, ...]:
        whole = self.words.get(word) or self.gloss.get(_stem(self.code, word))
        if whole is not None:
            return whole
        if self.code not in COMPOUNDING or len(word) < 2 * MIN_PART:
            return ()
        return self._compound(word)

    def _compound(self, word: str) -> tuple[str, ...]:
        """A compound read as its longest known ending and the known part before it (with or
        without a linking -s-: "Kunden|service", "kund|tjänst", "arbets|miljö"); a split that
        knows only one part is no reading."""
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = self.gloss.get(_stem(self.code, word[cut:]))
            if head is None:
                continue
            first = word[:cut]
            modifier = self.gloss.get(_stem(self.code, first))
            if modifier is None and first.endswith("s") and len(first) > MIN_PART:
                modifier = self.gloss.get(_stem(self.code, first[:-1]))
            if modifier is not None:
                return (*modifier, *head)
        return ()


def gloss(text: str, language: str | None) -> str:
    """The text as the model reads it: for a language read besides English, the text, then a
    line with its language's marker and its English words (`language_of` reads the marker back,
    so cues are matched with that language's phrases)."""
    lexicon = get(language)
    if lexicon is None:
        return text
    return f"{text}\n{MARK}{lexicon.code}_ {' '.join(lexicon.english(text))}"


def sources(prepared: str) -> dict[str, str]:
    """For a glossed text, the author's own word behind each English word and gloss its line
    holds, the first one first; {} for a text not glossed. Evidence quotes what was written
    ("etsin" (looking for)), not only the English the model read."""
    written, language = _split(prepared)
    lexicon = get(language)
    if lexicon is None:
        return {}
    found: dict[str, str] = {}
    for word in _WORD.findall(written.lower()):
        english = lexicon.english(word)
        if english:
            found.setdefault(" ".join(english), word)
            for each in english:
                found.setdefault(each, word)
    return found


def language_of(prepared: str) -> str:
    """The language a prepared text was glossed from (`gloss`), else English."""
    return _split(prepared)[1]


def _split(prepared: str) -> tuple[str, str]:
    """A prepared text's own words, and the language its gloss line names (English: none)."""
    at = prepared.rfind(f"\n{MARK}")
    if at < 0:
        return prepared, "en"
    start = at + 1 + len(MARK)
    return prepared[:at], prepared[start : prepared.find("_", start)]


def get(language: str | None) -> Lexicon | None:
    """The lexicon of a language other than English, or None for English and unread ones."""
    name = code(language)
    return _load(name) if name in STEMMERS else None


def every() -> list[Lexicon]:
    return [_load(name) for name in STEMMERS]


def phrases(kind: str, language: str) -> dict[str, tuple[str, ...]]:
    """One language's phrases of one kind ("cues" or "alarms"), by cue or alarm name; none for
    English, whose phrases live beside the code that uses them."""
    lexicon = get(language)
    return getattr(lexicon, kind) if lexicon else {}


def switching() -> tuple[list[str], list[str]]:
    """Every language's words before and after a competitor's name that make a post a lead."""
    lexicons = every()
    return (
        [p for lexicon in lexicons for p in lexicon.switch_before],
        [p for lexicon in lexicons for p in lexicon.switch_after],
    )


@cache
def _load(name: str) -> Lexicon:
    data = tomllib.loads(files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    words: dict[str, tuple[str, ...]] = {}
    glossary: dict[str, tuple[str, ...]] = {}
    for key, english in data.get("gloss", {}).items():
        meaning = tuple(english.lower().split())
        words.setdefault(key.lower(), meaning)
        # A word not listed itself takes the gloss of the first key sharing its stem:
        # "använda" (use) and "användare" (user) both stem to "använd".
        glossary.setdefault(_stem(name, key.lower()), meaning)
    switching = data.get("switching", {})
    return Lexicon(
        code=name,
        name=data["name"],
        words=words,
        gloss=glossary,
        cues={cue: tuple(listed) for cue, listed in data.get("cues", {}).items()},
        alarms={ALARM_TOPICS[a]: tuple(listed) for a, listed in data.get("alarms", {}).items()},
        switch_before=tuple(switching.get("before", ())),
        switch_after=tuple(switching.get("after", ())),
    )


@cache
def _stemmer(name: str) -> Any:
    """PyStemmer ships no type information; imported on first use, for start-up time."""
    import Stemmer

    return Stemmer.Stemmer(STEMMERS[name])


def _stem(name: str, word: str) -> str:
    return _stemmer(name).stemWord(word)
