"""The company's own words: names become tokens the model knows, phrases become rules.

The shipped model never sees a workspace's names. Instead, `substitute` rewrites the company's
terms, products and competitors into the tokens the seed corpus was also rendered with, so
"Globex vs Acme" reads as "_rival_ vs _brand_" and the model's knowledge of that pattern applies.
Two rules sit on top, because a team should not need corrections for what silta.toml already
says: a competitor named with "alternative", "switching from" or "vs" is a sales lead, and a
custom phrase leans its category's way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from bot.classify import languages

if TYPE_CHECKING:  # the settings models (pydantic) are not needed to classify
    from bot.config import Company

TOKENS = {
    "brand": "_brand_",
    "handle": "@_brand_",
    "product": "_product_",
    "rival": "_rival_",
    "lib": "_product_",
}
_SWITCH = (
    r"alternatives?\s+(?:to|for)|(?:switch|mov|migrat)(?:e|es|ed|ing)?\s+(?:away\s+)?from|"
    r"instead\s+of|compared?\s+(?:to|with)|vs\.?|versus"
)
_SWITCH_AFTER = r"\s+alternatives?|\s+vs\.?|\s+versus|\s+replacement|\s+competitors?"
_INFLECTION = (
    r"(?:'s|’s|:[^\W\d_]{1,5}|s|iin|aan|ään"
    r"|i?(?:n|a|ä|na|nä|lla|llä|lle|lta|ltä|ssa|ssä|sta|stä|ksi))?"
)
"""Endings other languages put on a name ("Globexin", "Globexille", "Globex:lle", "Globexs"),
so a name is found however a sentence bends it (Finnish links a name ending in a consonant
with an i)."""


@dataclass(frozen=True)
class Rule:
    """A reason from silta.toml to lean towards a category, in words a person can read."""

    category: str
    strength: float
    reason: str


@dataclass(frozen=True)
class Context:
    """One workspace's names and phrases, compiled once."""

    brand: re.Pattern[str] | None = None
    products: re.Pattern[str] | None = None
    rivals: re.Pattern[str] | None = None
    rival_names: tuple[str, ...] = ()
    phrases: tuple[tuple[str, re.Pattern[str], str], ...] = field(default=())

    @classmethod
    def from_company(cls, company: Company | None) -> Context:
        if company is None:
            return cls()
        phrases = tuple(
            (category, _words(phrase), phrase)
            for category, listed in company.phrases.items()
            for phrase in listed
            if phrase.strip()
        )
        return cls(
            brand=_alternation(company.terms),
            products=_alternation(company.products),
            rivals=_alternation(company.competitors),
            rival_names=tuple(company.competitors),
            phrases=phrases,
        )

    def substitute(self, text: str) -> str:
        """The text with the company's names replaced by the tokens the model was trained on."""
        for pattern, token in (
            (self.products, TOKENS["product"]),
            (self.rivals, TOKENS["rival"]),
            (self.brand, TOKENS["brand"]),
        ):
            if pattern is not None:
                text = pattern.sub(token, text)
        return text

    def rules(self, text: str) -> list[Rule]:
        found = []
        if self.rivals is not None:
            found += self._switching(text)
        for category, pattern, phrase in self.phrases:
            if pattern.search(text):
                found.append(Rule(category, 2.0, f'says "{phrase}"'))
        return found

    def _switching(self, text: str) -> list[Rule]:
        assert self.rivals is not None
        rival = self.rivals.pattern
        before = re.compile(rf"\b(?:{_switch_before()})\s+(?:the\s+|using\s+)?{rival}", re.I)
        after = re.compile(rf"{rival}(?:{_switch_after()})\b", re.IGNORECASE)
        match = before.search(text) or after.search(text)
        if match is None:
            return []
        name = self.rivals.search(match.group(0))
        shown = name.group(0) if name else "a competitor"
        return [Rule("sales_lead", 4.0, f"names competitor {shown} as something to switch from")]


def _alternation(names: list[str]) -> re.Pattern[str] | None:
    cleaned = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(_name(n) for n in cleaned) + r")" + _INFLECTION + r"(?!\w)",
        re.IGNORECASE,
    )


@cache
def _switch_before() -> str:
    native, _ = languages.switching()
    return "|".join([_SWITCH, *map(_phrase, native)])


@cache
def _switch_after() -> str:
    _, native = languages.switching()
    return "|".join([_SWITCH_AFTER, *(r"\s+" + _phrase(p) for p in native)])


def _phrase(phrase: str) -> str:
    """A phrase in `cues`' syntax as a regular expression: `*` any word, `word*` any word it
    begins, `#` a number."""
    return r"\s+".join(
        r"\w+"
        if word == "*"
        else r"\d+"
        if word == "#"
        else re.escape(word[:-1]) + r"\w*"
        if word.endswith("*")
        else re.escape(word)
        for word in phrase.lower().split()
    )


def _name(name: str) -> str:
    return r"\s+".join(re.escape(part) for part in name.split())


def _words(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _name(phrase) + r"(?!\w)", re.IGNORECASE)
