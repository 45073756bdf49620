"""Pydantic's errors as one line each, `key.path: what is wrong; the fix`, in the words a person
editing silta.toml or the environment needs.

Sources need more care than the rest: `[[sources]]` is a union tagged by `kind`, so pydantic
puts the tag in each error's location and reports a missing or unknown kind in its own terms.
The tag is taken back out, list items are named by their `name` (sources[hn]), and a source's
missing and stray keys are said on one line together with the rules of its kind that they
break, so that one round of fixes mends the source.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.sources import KINDS, kind_named
from bot.sources.base import COMMON_KEYS, SourceConfig

_KIND_NAMES = [kind.name for kind in KINDS]
_KIND_KEYS = {key for kind in KINDS for key in kind.keys}

_MISSING_HINTS = {
    "company": '[company] with name = "Acme" and terms = ["Acme"]',
    "channel": 'the channel to post to, e.g. channel = "#support-social"',
    "categories": 'the categories this team receives, e.g. categories = ["support_issue"]',
    "name": 'a short name, e.g. name = "hn"',
    "kind": 'what it is, e.g. kind = "rss"',
    "terms": 'what counts as a mention of you, e.g. terms = ["Acme", "acme.io"]',
}


def describe(
    exc: ValidationError,
    *,
    root: type[BaseModel],
    data: dict[str, Any] | None = None,
    rename: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per problem; `root` is the model validated, `data` what it was given."""
    lines: list[str] = []
    fits: dict[str, _Fit] = {}
    for error in exc.errors():
        loc = _untagged(error["loc"], data)
        if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
            loc += ("kind",)
        where = _location(loc, data)
        if rename and where in rename:
            where = rename[where]
        fit = _fit_problem(error, loc, data)
        if fit is not None:
            source, problem = fit
            if source not in fits:
                fits[source] = _Fit(len(lines), _item(loc[:2], data))
                lines.append("")
            fits[source].add(problem)
        else:
            lines.append(f"{where}: {_message(error, loc, root)}")
    for source, found in fits.items():
        lines[found.line] = f"{source}: {'; '.join(found.problems())}"
    return lines


class _Fit:
    """A source's keys that do not fit its kind, gathered onto one line."""

    def __init__(self, line: int, item: Any) -> None:
        self.line = line
        self.item = item if isinstance(item, dict) else {}
        self.required: list[str] = []
        self.stray: list[str] = []

    def add(self, problem: tuple[str, str]) -> None:
        (self.required if problem[0] == "missing" else self.stray).append(problem[1])

    def problems(self) -> list[str]:
        kind = self.item.get("kind")
        found = [f'"{k}" is required for kind "{kind}"' for k in sorted(self.required)]
        found += [f'"{k}" does not apply to kind "{kind}"' for k in sorted(self.stray)]
        return found + kind_named(str(kind)).config.broken_rules(self.item)


def _fit_problem(
    error: ErrorDetails, loc: tuple[Any, ...], data: dict[str, Any] | None
) -> tuple[str, tuple[str, str]] | None:
    """(the source's location, (missing or stray, key)) for a key that does not fit the kind."""
    if len(loc) != 3 or loc[0] != "sources" or not isinstance(loc[1], int):
        return None
    key = str(loc[2])
    if error["type"] == "missing" and key not in COMMON_KEYS:
        return _location(loc[:2], data), ("missing", key)
    if error["type"] == "extra_forbidden" and key in _KIND_KEYS:
        return _location(loc[:2], data), ("stray", key)
    return None


def _message(error: ErrorDetails, loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    if error["type"] == "union_tag_not_found":
        return f"missing; {_missing_hint('kind')}"
    if error["type"] == "union_tag_invalid":
        return _unknown_kind(str((error.get("ctx") or {}).get("tag")))
    if error["type"] == "extra_forbidden":
        return f"unknown key{_did_you_mean(error['loc'], root)}"
    if error["type"] == "missing":
        return f"missing; {_missing_hint(str(loc[-1]))}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "literal_error":
        return f'"{error.get("input")}" is not allowed; {message.lower()}'
    return message


def _unknown_kind(tag: str) -> str:
    close = difflib.get_close_matches(tag, _KIND_NAMES, n=1)
    if close:
        return f'"{tag}" is not allowed; did you mean "{close[0]}"?'
    names = ", ".join(repr(name) for name in _KIND_NAMES[:-1])
    return f'"{tag}" is not allowed; input should be {names} or {_KIND_NAMES[-1]!r}'


def _untagged(loc: tuple[Any, ...], data: dict[str, Any] | None) -> tuple[Any, ...]:
    """The location without the union's tag, which pydantic puts after a source's index."""
    node: Any = data
    parts: list[Any] = []
    for part in loc:
        if isinstance(node, dict) and part == node.get("kind") and part not in node:
            continue
        parts.append(part)
        node = _step(node, part)
    return tuple(parts)


def _step(node: Any, part: Any) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and part < len(node) else None
    return node.get(part) if isinstance(node, dict) else None


def _item(loc: tuple[Any, ...], data: dict[str, Any] | None) -> Any:
    node: Any = data
    for part in loc:
        node = _step(node, part)
    return node


def _location(loc: tuple[Any, ...], data: dict[str, Any] | None) -> str:
    """Name list items by their `name` key (sources[hn]) rather than by index."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            item = _step(node, part)
            name = item.get("name") if isinstance(item, dict) else None
            parts[-1] += f"[{name or part}]"
        else:
            parts.append(str(part))
        node = _step(node, part)
    return ".".join(parts)


def _did_you_mean(loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    """Suggest a key of the model the unknown one sits in (a source's: its kind's)."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if model is SourceConfig and part in _KIND_NAMES:
            model = kind_named(str(part)).config
            continue
        field = model.model_fields.get(str(part)) if model else None
        if field is not None:  # a dict key (a team's name) or a list index keeps the model
            model = inner_model(field.annotation)
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return (
        f'; did you mean "{close[0]}"?'
        if close
        else f"; known keys: {', '.join(model.model_fields)}"
    )


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, inside any list, dict or Annotated around it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = inner_model(arg)
        if found:
            return found
    return None


def _missing_hint(key: str) -> str:
    return "add " + _MISSING_HINTS.get(key, f"{key} = …")
