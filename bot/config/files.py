"""Reading the workspace file: a missing file, bad TOML or bad UTF-8 each get a sentence that
says what to do."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from bot.errors import ConfigError


def read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(
            [
                f"{path} does not exist; run `silta init` to write a starter file, "
                "or set SILTA_CONFIG"
            ]
        )
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError(["not UTF-8 text; save it as UTF-8"], path=str(path)) from None
