"""The demo in a real browser (headless Chromium), as someone deciding on Silta would use it:
open the sandbox, see a digest in #support, run `/silta search refund`, choose "Move to… sales"
on a result, and see the mention arrive in #sales. Skips, saying why, without Chromium."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.demo.clock import ClockState, save_state
from bot.demo.run import OPENING, Demo, DemoPaths, channel_id, week_start
from bot.demo.world import load_mentions
from bot.models import utcnow
from tests.bot.demo.reader import SandboxReader
from tests.browser import eventually, launch_browser, skip_without_chromium

WORD = "refund"
SPEED = 60.0
"""A virtual minute a second: calm enough that the page is not redrawn under each click."""


def opening_after_the_word(directory) -> None:
    """Start the demo's clock once the world has said WORD (the demo resumes a saved clock),
    so the search finds it however the week is written."""
    said = [
        m.offset
        for m in load_mentions()
        if m.kind != "webhook" and WORD in f"{m.title or ''} {m.text}".lower()
    ]
    assert said, f'the demo world never says "{WORD}"'
    week = week_start(utcnow())
    directory.mkdir(parents=True)
    start = max(OPENING, min(said) + timedelta(minutes=30))
    save_state(DemoPaths(directory).clock, ClockState(start=week, now=week + start))


def messages(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#messages article.message")


def open_channel(driver: Any, name: str) -> None:
    from selenium.webdriver.common.by import By

    entry = f'#channels li.entry[data-id="{channel_id(name)}"]'
    eventually(lambda: driver.find_element(By.CSS_SELECTOR, entry).click() or True, timeout=20)
    eventually(lambda: driver.find_element(By.ID, "title").text == f"# {name}", timeout=10)


@pytest.mark.slow
def test_a_digest_then_search_and_move_to_sales_in_the_browser(tmp_path):
    skip_without_chromium()
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    directory = tmp_path / "demo"
    opening_after_the_word(directory)
    with (
        Demo(directory, speed=SPEED, port=0, environ={}) as demo,
        launch_browser() as driver,
    ):
        driver.get(demo.url)
        open_channel(driver, "support")
        eventually(lambda: any("Support digest" in m.text for m in messages(driver)), timeout=30)

        box = driver.find_element(By.ID, "input")
        box.send_keys(f"/silta search {WORD}")
        box.send_keys(Keys.ENTER)
        results = "#messages article.message.ephemeral select[data-action-id='mention_move']"
        eventually(lambda: driver.find_elements(By.CSS_SELECTOR, results), timeout=20)

        def move_first_result_to_sales() -> str:
            menu = driver.find_element(By.CSS_SELECTOR, results)
            options = menu.find_elements(By.TAG_NAME, "option")
            value = next(o.get_attribute("value") for o in options if o.text.lower() == "sales")
            Select(menu).select_by_value(value)
            return value

        for attempt in range(5):
            try:
                chosen = move_first_result_to_sales()
                break
            except StaleElementReferenceException:  # redrawn between finding and choosing
                if attempt == 4:
                    raise
        mention_id = chosen.split(":")[0]

        open_channel(driver, "sales")
        eventually(lambda: [m for m in messages(driver) if "Moved here by" in m.text], timeout=20)

        posted = SandboxReader(demo.url, directory).history("#sales")
        blocks = [b.get("block_id", "") for m in posted for b in m.get("blocks", [])]
        assert any(b.startswith(f"mention:{mention_id}:") for b in blocks)
