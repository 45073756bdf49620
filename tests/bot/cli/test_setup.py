"""The first minutes with Silta: `silta init`, `silta config check`, `silta db …`."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "SILTA_CONFIG", "SLACK_BOT_TOKEN", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str, **env: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def test_init_writes_a_valid_starter_and_creates_the_database(run, tmp_path):
    result = run("init")
    assert result.exit_code == 0, result.output
    assert "Wrote silta.toml" in result.output
    assert (tmp_path / "silta.toml").read_text().startswith("# Silta's workspace file")
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "silta.db").execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert {"mentions", "mentions_fts", "sources", "alembic_version"} <= tables
    check = run("config", "check")
    assert check.exit_code == 0
    assert "silta.toml is valid: company 'Acme', 5 team(s), 2 source(s)." in check.output


def test_init_keeps_an_existing_file(run, tmp_path):
    (tmp_path / "silta.toml").write_text("# mine\n")
    result = run("init")
    assert "already exists; kept it" in result.output
    assert (tmp_path / "silta.toml").read_text() == "# mine\n"


def test_config_check_lists_every_problem_and_exits_2(run, tmp_path):
    (tmp_path / "silta.toml").write_text(
        '[company]\nname = "Acme"\nterms = ["Acme"]\n'
        '[teams.support]\nchanel = "#support"\ncategories = ["support_issue"]\n'
    )
    result = run("config", "check", LOG_LEVEL="chatty")
    assert result.exit_code == 2
    assert "3 problem(s) found:" in result.output
    assert 'teams.support.chanel: unknown key; did you mean "channel"?' in result.output
    assert "teams.support.channel: missing" in result.output
    assert 'LOG_LEVEL: "chatty" is not a log level' in result.output
    assert "Traceback" not in result.output


def test_db_upgrade_is_idempotent_and_reports_the_revision(run):
    first = run("db", "upgrade")
    second = run("db", "upgrade")
    assert "upgraded from empty to" in first.output
    assert "is up to date" in second.output
    assert "(up to date)" in run("db", "current").output


def test_an_unreachable_database_is_a_sentence_not_a_traceback(run):
    result = run("db", "upgrade", DATABASE_URL="postgresql://postgres@127.0.0.1:9/silta")
    assert result.exit_code == 1
    assert result.output.startswith("silta: DATABASE_URL: cannot connect to postgresql")
    assert "Traceback" not in result.output


def test_a_database_newer_than_the_code_is_refused(run, tmp_path):
    run("db", "upgrade")
    sqlite3.connect(tmp_path / "silta.db").execute(
        "UPDATE alembic_version SET version_num = 'f00dcafe'"
    ).connection.commit()
    result = run("db", "upgrade")
    assert result.exit_code == 1
    assert "at revision f00dcafe, which this version of Silta does not know" in result.output
