"""How soon someone should look: a score from 0 to 1 and the reasons, in words for Slack.

Urgency is not a category. A calm feature request is never urgent; an angry post about an
outage, a breach, a lawyer or missing money is, and more so when its author is widely read or
when many people say the same thing within the hour, or when someone sets a date to go public
with a security hole. Each part adds to the score and names itself, so a DM can say *why* it
interrupted someone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from bot.classify import languages
from bot.classify.cues import PhraseMatcher, bilingual


def _phrases(listed: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in listed.split(",") if p.strip())


ALARMS: dict[str, tuple[str, ...]] = {
    "an outage": _phrases(
        """outage, outages, is down, it's down, are down, went down, down again, is * down,
        is * * down, down for everyone, down for me, down right now, back up yet, not loading,
        can't access, cannot access, 503, 502, 500 error, service disruption, offline,
        no service, no signal, no internet, status page, production is down, lost all"""
    ),
    "a security problem": _phrases(
        """hacked, hack, breach, breached, leak, leaked, leaking, exposed, vulnerability,
        vulnerabilities, exploit, phishing, compromised, malware, ransomware, security issue,
        security hole, unauthorized, unauthorised, someone else's, another user's,
        password was changed, stolen, cve, idor, xss, csrf, sql injection, remote code
        execution, privilege escalation, security researcher, bug bounty, responsible
        disclosure, guessable, publicly accessible, publicly exposed, personal data, home
        addresses, another company's, another customer's, other customers', other users',
        anyone can see, anyone can access"""
    ),
    "a public disclosure": _phrases(
        """disclosing in, disclose in, disclosure in, full disclosure, going public, go public,
        to the press, contacted the press, will publish, publish the details, publishing the
        details, before i publish, until i publish"""
    ),
    "legal action": _phrases(
        """lawyer, lawyers, attorney, sue, suing, lawsuit, legal action, court, gdpr,
        regulator, ombudsman, trading standards, class action, solicitor, data protection,
        report you, fraud, fraudulent, illegal"""
    ),
    "money": _phrases(
        """refund, refunds, refunded, charged, overcharged, double charged, charged twice,
        billing, billed, invoice, chargeback, dispute, my money, money back, payment,
        payments, payout, payouts, unauthorized charge, took money, taken money, fee, fees"""
    ),
}
WEIGHTS = {
    "an outage": 0.35,
    "a security problem": 0.4,
    "legal action": 0.35,
    "a public disclosure": 0.3,
    "money": 0.25,
}
SPIKE_AT = 3
"""Similar mentions within the hour (besides this one) from which it counts as a spike."""
REACH_FROM = 1000


@cache
def _matcher(language: str) -> PhraseMatcher:
    return bilingual(ALARMS, "alarms", language)


@dataclass(frozen=True)
class Urgency:
    score: float
    reasons: list[str]


def alarms(text: str, language: str | None = "en") -> dict[str, str]:
    """The alarming topics of a text, most serious first, each with the words that raised it."""
    found = _matcher(languages.code(language) or "en").first_matches(text)
    return {topic: found[topic] for topic in WEIGHTS if topic in found}


def assess(
    text: str,
    *,
    category: str,
    polarity: float | None,
    reach: int | None = None,
    similar: int = 0,
    language: str | None = "en",
) -> Urgency:
    parts: list[tuple[float, str]] = []
    negative = polarity is not None and polarity < -0.1
    calm = polarity is not None and polarity > 0.3
    for topic in alarms(text, language):
        weight = WEIGHTS[topic] * (1.3 if negative else 0.5 if calm else 1.0)
        parts.append((weight, f"negative and about {topic}" if negative else f"about {topic}"))
    if polarity is not None and negative and not parts and category == "support_issue":
        parts.append((0.1 + 0.2 * -polarity, "an unhappy customer"))
    if category == "support_issue":
        parts.append((0.1, "needs help"))
    if reach and reach >= REACH_FROM:
        parts.append((min(0.25, 0.05 + 0.06 * math.log10(reach / REACH_FROM)), _reach(reach)))
    if similar >= SPIKE_AT:
        parts.append((min(0.3, 0.05 * similar), f"spike: {similar} similar mentions this hour"))
    score = sum(weight for weight, _ in parts)
    if category == "noise":
        score /= 2
    parts.sort(key=lambda part: -part[0])
    return Urgency(round(min(1.0, float(score)), 2), [reason for _, reason in parts])


def _reach(reach: int) -> str:
    if reach >= 1_000_000:
        shown = f"{reach / 1_000_000:.1f}M".replace(".0M", "M")
    else:
        shown = f"{reach // 1000}k"
    return f"author reaches {shown} people"
