"""Cron lines read as crontab reads them, for every schedule in Silta (digests, reports,
retraining).

APScheduler 3's `CronTrigger.from_crontab` counts weekdays from Monday = 0, so "0 9 * * 1-5"
would fire Tuesday to Saturday; here the day-of-week field is rewritten as day names first.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@lru_cache(maxsize=256)
def trigger(schedule: str, zone: str) -> CronTrigger:
    """The schedule as a trigger in the time zone `zone`; ValueError when it is not five
    valid crontab fields."""
    minute, hour, day, month, weekday = schedule.split()
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(weekday),
        timezone=ZoneInfo(zone),
    )


def crontab_weekdays(field: str) -> str:
    """Crontab's day-of-week field (0 and 7 are Sunday; ranges, lists, steps, names) as an
    explicit list of day names, which APScheduler reads the same way."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        spec, _, step = part.partition("/")
        if spec == "*":
            low, high = 0, 6
        elif "-" in spec:
            first, last = spec.split("-", 1)
            low, high = _weekday(first), _weekday(last)
        else:
            low = _weekday(spec)
            high = 6 if step else low
        days.update(d % 7 for d in range(low, high + 1, int(step or 1)))
    return ",".join(_DAYS[d] for d in sorted(days))


def _weekday(token: str) -> int:
    if token.isdigit():
        if int(token) > 7:
            raise ValueError(f"{token} is not a day of the week (0-7, or sun-sat)")
        return int(token)
    return _DAYS.index(token[:3])
