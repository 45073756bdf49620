from datetime import UTC, datetime

import pytest

from bot.cron import crontab_weekdays, trigger

FRIDAY_NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_weekdays_mean_monday_to_friday_as_in_crontab():
    fire = trigger("0 9 * * 1-5", "UTC").get_next_fire_time(None, FRIDAY_NOON)
    assert fire == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday, not Saturday


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("mon,wed", "mon,wed"),
        ("*/2", "sun,tue,thu,sat"),
        ("*", "*"),
    ],
)
def test_crontab_day_fields_become_day_names(field, days):
    assert crontab_weekdays(field) == days


@pytest.mark.parametrize("line", ["0 9 * * 8", "0 9 * *", "61 * * * *", "every morning"])
def test_lines_crontab_refuses_are_refused(line):
    with pytest.raises(ValueError):
        trigger(line, "UTC")
