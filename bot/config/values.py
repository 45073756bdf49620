"""The checks the workspace schema shares for values people write by hand (cron lines, time
zones, categories), each error naming a value that works."""

from __future__ import annotations

import difflib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.cron import trigger
from bot.taxonomy import CATEGORIES


def check_cron(value: str, timezone: str = "UTC") -> str:
    """Accept a five-field crontab line; the error suggests a working one."""
    try:
        trigger(value, timezone)
    except (ValueError, TypeError, ZoneInfoNotFoundError):
        raise ValueError(
            f'"{value}" is not a cron expression; try "0 9 * * 1-5" (09:00 on weekdays)'
        ) from None
    return value


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        hint = (
            f'; did you mean "{close[0]}"?'
            if close
            else '; use an IANA name like "Europe/Helsinki"'
        )
        raise ValueError(f'"{value}" is not a time zone{hint}') from None
    return value


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        close = difflib.get_close_matches(category, CATEGORIES, n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"use one of {', '.join(CATEGORIES)}"
        raise ValueError(f'"{category}" is not a category; {hint}')
    return category
