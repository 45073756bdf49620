"""Durations people write by hand ("5m", "2h"): what cannot be read is refused."""

from __future__ import annotations

import pytest

from bot.durations import parse_duration


@pytest.mark.parametrize("text", ["", "5", "5 minutes", "-1m", "0s", "1w"])
def test_durations_reject_what_they_cannot_read(text):
    with pytest.raises(ValueError, match=r"duration|more than zero"):
        parse_duration(text)
