"""The five categories every mention is sorted into, and what each one means to a team."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    SUPPORT_ISSUE = "support_issue"
    PRODUCT_FEEDBACK = "product_feedback"
    HIRING_SIGNAL = "hiring_signal"
    SALES_LEAD = "sales_lead"
    NOISE = "noise"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)

UNSURE_BELOW = 0.45
"""The default `classifier.threshold`: below this confidence a mention is *unsure* and waits in
triage instead of reaching a team."""

DESCRIPTIONS: dict[str, str] = {
    "support_issue": "someone needs help: a bug, an error, an outage, account or billing",
    "product_feedback": "an opinion the product team should hear: requests, praise, critique",
    "hiring_signal": "jobs and talent: job posts, people seeking work, careers, pay, layoffs",
    "sales_lead": "wants to choose or buy: recommendations, alternatives, X vs Y, pricing",
    "noise": "everything else: news, launches, self-promotion, tutorials, chit-chat",
}

LABELS: dict[str, str] = {
    "support_issue": "Support issue",
    "product_feedback": "Product feedback",
    "hiring_signal": "Hiring signal",
    "sales_lead": "Sales lead",
    "noise": "Noise",
}
