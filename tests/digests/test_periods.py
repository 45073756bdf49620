"""The period each team's digest covers, in its own clock, across DST, and after downtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from digests import periods
from digests.periods import Period

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(*args: int, zone=UTC) -> datetime:
    return datetime(*args, tzinfo=zone)


def test_hourly_support_gets_the_hour_that_just_closed():
    period = periods.latest_closed("0 * * * *", "UTC", at(2026, 11, 24, 10, 20))
    assert (period.start, period.end) == (at(2026, 11, 24, 9), at(2026, 11, 24, 10))


def test_weekday_sales_digest_on_monday_covers_the_weekend():
    now = at(2026, 11, 23, 9, 5, zone=HELSINKI)  # a Monday
    period = periods.latest_closed("0 9 * * 1-5", "Europe/Helsinki", now)
    assert period.start == at(2026, 11, 20, 9, zone=HELSINKI)  # Friday 09:00
    assert period.end == at(2026, 11, 23, 9, zone=HELSINKI)
    assert period.length == timedelta(days=3)
    assert period.label() == "Fri 20 Nov 09:00 – Mon 23 Nov 09:00 (Europe/Helsinki)"


def test_a_fire_time_exactly_now_closes_its_period():
    period = periods.latest_closed("0 9 * * *", "UTC", at(2026, 11, 24, 9))
    assert period.end == at(2026, 11, 24, 9)


def test_dst_change_keeps_09_00_local_and_the_period_lasts_25_hours():
    # Finland leaves summer time on Sunday 25 October 2026 at 04:00 local.
    now = at(2026, 10, 25, 12, zone=HELSINKI)
    daily = periods.latest_closed("0 9 * * *", "Europe/Helsinki", now)
    assert daily.start == at(2026, 10, 24, 6)  # 09:00 EEST (UTC+3)
    assert daily.end == at(2026, 10, 25, 7)  # 09:00 EET (UTC+2)
    assert daily.length == timedelta(hours=25)
    weekly = periods.latest_closed("0 9 * * 1", "Europe/Helsinki", at(2026, 10, 26, 10))
    assert weekly.length == timedelta(days=7, hours=1)
    assert weekly.local(weekly.start).hour == weekly.local(weekly.end).hour == 9


def test_spring_forward_period_lasts_23_hours():
    # Summer time starts on Sunday 29 March 2026 at 03:00 local.
    daily = periods.latest_closed(
        "0 9 * * *", "Europe/Helsinki", at(2026, 3, 29, 10, zone=HELSINKI)
    )
    assert daily.length == timedelta(hours=23)


def test_first_run_sends_the_latest_closed_period():
    due = periods.due("0 * * * *", "UTC", at(2026, 11, 24, 15, 30), None)
    assert due == Period(at(2026, 11, 24, 14), at(2026, 11, 24, 15), "UTC")


def test_downtime_is_caught_up_in_one_coalesced_period():
    now = at(2026, 11, 24, 15, 30)
    due = periods.due("0 * * * *", "UTC", now, last_end=at(2026, 11, 24, 10))
    assert due == Period(at(2026, 11, 24, 10), at(2026, 11, 24, 15), "UTC")
    assert periods.due("0 * * * *", "UTC", now, last_end=at(2026, 11, 24, 15)) is None


def test_the_period_containing_a_moment():
    period = periods.containing("0 9 * * 1", "UTC", at(2026, 11, 25, 12))
    assert (period.start, period.end) == (at(2026, 11, 23, 9), at(2026, 11, 30, 9))


def test_previous_period_has_the_same_length_just_before():
    period = Period(at(2026, 11, 20, 9), at(2026, 11, 23, 9))
    assert period.previous() == Period(at(2026, 11, 17, 9), at(2026, 11, 20, 9))


def test_a_yearly_schedule_finds_last_year():
    period = periods.latest_closed("0 0 1 1 *", "UTC", at(2026, 6, 1))
    assert (period.start, period.end) == (at(2025, 1, 1), at(2026, 1, 1))


def test_weekday_digests_fire_monday_to_friday_as_crontab_does():
    fires = []
    moment = at(2026, 11, 20)  # a Friday
    for _ in range(5):
        moment = periods.next_fire("0 9 * * 1-5", "UTC", moment)
        fires.append(moment.strftime("%a"))
    assert fires == ["Fri", "Mon", "Tue", "Wed", "Thu"]
