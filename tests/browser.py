"""Headless Chromium for tests that look at the sandbox (or the demo) in a real browser.

    from tests.browser import browser   # noqa: F401 - in a conftest, or use:
    with launch_browser() as driver:
        driver.get(sandbox.url)

Selenium drives the system's /usr/bin/chromium through /usr/bin/chromedriver (never Selenium
Manager, which would download a driver); tests skip, saying why, when Chromium is absent."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--window-size=1280,900",
]
T = TypeVar("T")


def skip_without_chromium() -> None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(f"browser tests need {CHROMIUM} and {CHROMEDRIVER}, absent on this machine")


@contextmanager
def launch_browser() -> Iterator[Any]:
    """A fresh headless Chromium (its own temporary profile), quit on the way out."""
    skip_without_chromium()
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="silta-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium (selenium WebDriver) for one test."""
    with launch_browser() as driver:
        yield driver


def eventually(check: Callable[[], T], timeout: float = 5.0) -> T:
    """`check()`'s first truthy result, retrying (on falsy results and on exceptions such as a
    stale element) until the timeout; AssertionError with the last problem after that."""
    from selenium.webdriver.support.ui import WebDriverWait

    problem: list[str] = []

    def attempt(_: Any) -> T | bool:
        try:
            return check()
        except Exception as exc:  # retried, and reported on timeout
            problem[:] = [repr(exc)]
            return False

    try:
        return WebDriverWait(None, timeout, poll_frequency=0.1).until(attempt)
    except Exception as exc:
        raise AssertionError(f"not true within {timeout}s: {problem or exc}") from None


def console_errors(driver: Any) -> list[str]:
    """Severe messages from the page's console (JavaScript errors), since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
