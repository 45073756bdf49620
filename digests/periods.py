"""The period a schedule closes: from one fire time of the team's cron to the next, in the
team's time zone, so "09:00 on weekdays" in Helsinki means 09:00 Helsinki time on both sides of
a DST change (a period then lasts 23 or 25 hours, and Friday's runs until Monday).

Catching up after downtime is one coalesced period, from the end of the last period delivered to
the latest fire time: a worker asleep for a week posts one digest for the week, not 168 hourly
ones, and no mention falls between two periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cron import trigger

_TICK = timedelta(microseconds=1)
_LOOKBACK = (
    timedelta(hours=2),
    timedelta(days=2),
    timedelta(days=8),
    timedelta(days=32),
    timedelta(days=367),
    timedelta(days=4 * 366),
)
"""Windows tried in turn to find the fire time before a moment: the smallest that holds one
keeps the forward walk short for an hourly cron and still finds a yearly one."""


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC; `zone` is only for showing it in the team's own clock."""

    start: datetime
    end: datetime
    zone: str = "UTC"

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> Period:
        """The same length of time just before, the baseline a change is measured against."""
        return Period(self.start - self.length, self.start, self.zone)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.zone))

    def label(self) -> str:
        """ "Mon 24 Nov 09:00 – Tue 25 Nov 09:00 (Europe/Helsinki)", in the team's clock."""
        start, end = self.local(self.start), self.local(self.end)
        shape = "%a %d %b %H:%M"
        tail = end.strftime("%H:%M") if start.date() == end.date() else end.strftime(shape)
        return f"{start.strftime(shape)} – {tail} ({self.zone})"


def next_fire(schedule: str, zone: str, after: datetime) -> datetime:
    """The first fire time strictly after `after`, in UTC."""
    found = trigger(schedule, zone).get_next_fire_time(None, after + _TICK)
    if found is None:
        raise ValueError(f'"{schedule}" never fires after {after:%Y-%m-%d %H:%M}')
    return found.astimezone(UTC)


def previous_fire(schedule: str, zone: str, before: datetime) -> datetime:
    """The last fire time strictly before `before`, in UTC."""
    cron = trigger(schedule, zone)
    for window in _LOOKBACK:
        found = cron.get_next_fire_time(None, before - window)
        if found is not None and found < before:
            while True:
                later = cron.get_next_fire_time(None, found + _TICK)
                if later is None or later >= before:
                    return found.astimezone(UTC)
                found = later
    raise ValueError(f'"{schedule}" did not fire in the four years before {before:%Y-%m-%d}')


def latest_fire(schedule: str, zone: str, now: datetime) -> datetime:
    """The fire time at or before `now`: the end of the latest period that has closed."""
    return previous_fire(schedule, zone, now + _TICK)


def closed_by(schedule: str, zone: str, fire: datetime) -> Period:
    """The period that the fire time `fire` closes."""
    return Period(previous_fire(schedule, zone, fire), fire, zone)


def latest_closed(schedule: str, zone: str, now: datetime) -> Period:
    return closed_by(schedule, zone, latest_fire(schedule, zone, now))


def containing(schedule: str, zone: str, moment: datetime) -> Period:
    """The scheduled period that `moment` falls in (the one `silta digest --period` names)."""
    start = latest_fire(schedule, zone, moment)
    return Period(start, next_fire(schedule, zone, start), zone)


def due(schedule: str, zone: str, now: datetime, last_end: datetime | None) -> Period | None:
    """What to deliver now: nothing if the latest period is delivered; the latest closed period
    on the first run; otherwise one period from the last delivered end to the latest fire."""
    latest = latest_fire(schedule, zone, now)
    if last_end is None:
        return closed_by(schedule, zone, latest)
    if last_end >= latest:
        return None
    return Period(last_end, latest, zone)
