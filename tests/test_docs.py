"""Keeps the README true: every setting, every workspace key and every command is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from pydantic import BaseModel

from bot.cli import cli
from bot.config import ENVIRONMENT, Workspace
from bot.config.describe import inner_model
from bot.sources import KINDS
from bot.sources.base import COMMON_KEYS, SourceConfig

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def workspace_keys(model: type[BaseModel] = Workspace, prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        label = {"teams": "teams.<name>", "sources": "sources[]"}.get(name, name)
        inner = inner_model(field.annotation)
        if inner is None:
            keys.append(prefix + label)
        elif inner is SourceConfig:
            keys += [f"sources[].{k}" for k in COMMON_KEYS]
        else:
            keys += workspace_keys(inner, prefix + label + ".")
    return keys


def command_paths(group: click.Group = cli, prefix: str = "silta") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths += command_paths(command, path)
        else:
            paths.append(path)
    return paths


@pytest.mark.parametrize("name", sorted(ENVIRONMENT))
def test_every_environment_setting_is_documented(name):
    assert f"`{name}`" in README


@pytest.mark.parametrize("key", workspace_keys())
def test_every_workspace_key_is_documented(key):
    assert f"`{key}`" in README


def kind_row(kind: str) -> str:
    """The kind's row in the README's table of kinds and their keys."""
    rows = [line for line in README.splitlines() if line.startswith(f"| `{kind}` |")]
    assert len(rows) == 1, f"the README has {len(rows)} rows for the kind {kind}"
    return rows[0]


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_every_source_kind_is_documented(kind):
    assert f"`{kind}`" in README.split("`sources[].kind`")[1].splitlines()[0]
    assert kind_row(kind)


@pytest.mark.parametrize(("kind", "key"), [(kind.name, key) for kind in KINDS for key in kind.keys])
def test_every_key_of_every_source_kind_is_documented_in_its_row(kind, key):
    assert f"`{key}`" in kind_row(kind)


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_documented(path):
    assert f"`{path}" in README


def test_the_code_is_linted_and_formatted():
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
