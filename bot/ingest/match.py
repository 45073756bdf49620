"""Is this about us? Whole words only, case-insensitive, minus the phrases that are not.

"Acme" must not match "acmes" or "pacme", and "acme.io" or "@acmehq" must still match although
they start or end in punctuation, so the boundaries are "no word character on either side"
rather than `\\b`. As silta.toml says, a text that also contains an excluded phrase ("Wile E.
Coyote") is not about the company, however often it names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.config import Company


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class BrandMatcher:
    terms: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    @classmethod
    def for_company(cls, company: Company) -> BrandMatcher:
        return cls(_pattern(company.terms), _pattern(company.exclude))

    @classmethod
    def of(cls, terms: Iterable[str], exclude: Iterable[str] = ()) -> BrandMatcher:
        return cls(_pattern(terms), _pattern(exclude))

    def matches(self, *texts: str | None) -> bool:
        if self.terms is None:
            return False
        body = "\n".join(t for t in texts if t)
        if self.exclude is not None and self.exclude.search(body):
            return False
        return self.terms.search(body) is not None
