"""The type checker runs with the tests: a wrong type in bot/, handlers/ or digests/ fails CI the
way a failing test does, instead of waiting for someone to run mypy by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bot_handlers_and_digests_type_check_clean() -> None:
    """What is checked, and which libraries ship no types, is in pyproject.toml ([tool.mypy])."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, f"mypy found problems:\n{run.stdout}{run.stderr}"
