"""The builders' silta.toml is the workspace they validate: what a test writes to a file is what
its Runtime or subprocess reads back."""

from __future__ import annotations

import tomllib

import pytest

from tests.builders import DEFAULT, FOUR_TEAMS, WATCHED, toml_text, workspace, workspace_file


@pytest.mark.parametrize(
    "preset", [DEFAULT, FOUR_TEAMS, WATCHED], ids=["default", "four", "watched"]
)
def test_every_preset_reads_back_as_written(preset):
    data = {**DEFAULT, **preset}
    assert tomllib.loads(toml_text(data)) == data


def test_quotes_keys_and_strings_toml_would_misread():
    data = {"company": {"name": 'Acme "Inc" \\ Ltd', "terms": ["Acme", "ä ö"]}, "teams": {}}
    assert tomllib.loads(toml_text(data)) == data


def test_the_file_holds_the_same_workspace(tmp_path):
    path = workspace_file(tmp_path / "silta.toml", FOUR_TEAMS, sources=[])
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert workspace(FOUR_TEAMS, sources=[]) == workspace(**written)
