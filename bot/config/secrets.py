"""`"env:NAME"` values: any value in the workspace file may be read from the environment, so
tokens and passwords stay out of the file. A variable that is not set is one more problem in
the list, named by its key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def resolve_secrets(
    data: Any, environ: Mapping[str, str], problems: list[str], loc: str = ""
) -> Any:
    if isinstance(data, dict):
        return {k: resolve_secrets(v, environ, problems, _join(loc, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [resolve_secrets(v, environ, problems, f"{loc}[{i}]") for i, v in enumerate(data)]
    if isinstance(data, str) and data.startswith("env:"):
        name = data[4:]
        if name in environ:
            return environ[name]
        problems.append(
            f"{loc}: {data} but {name} is not set; export {name}=… or write the value here"
        )
    return data


def _join(loc: str, key: str) -> str:
    return f"{loc}.{key}" if loc else str(key)
