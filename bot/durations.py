"""Durations written as people write them ("30s", "5m", "2h", "7d"), for every interval in
Silta: poll intervals, alert cooldowns, snoozes.

A leaf on purpose: the source kinds validate their `every` with it, and the workspace schema is
built from the source kinds, so it cannot live in `bot.config`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator

_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(value: str) -> timedelta:
    """Read "30s", "5m", "2h" or "7d"; raise ValueError with the accepted forms."""
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f'"{value}" is not a duration; use a number and a unit, e.g. "5m", "1h"')
    amount, unit = int(match.group(1)), match.group(2)
    if amount <= 0:
        raise ValueError(f'"{value}" must be more than zero, e.g. "5m"')
    return timedelta(**{_UNITS[unit]: amount})


def _checked(value: str) -> str:
    parse_duration(value)
    return value


Duration = Annotated[str, AfterValidator(_checked)]
"""A setting written as a duration ("5m"): kept as typed, so `silta config` shows it as written."""
