"""The tables the migrations make serve the libraries that expect them."""

from __future__ import annotations

import time

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore


def test_slack_installations_are_saved_and_found_in_the_migrated_tables(engine):
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=engine)
    team = f"T{time.time_ns()}"
    store.save(
        Installation(
            app_id="A1",
            team_id=team,
            user_id="U1",
            bot_token="xoxb-test",
            bot_id="B1",
            bot_user_id="UB1",
            bot_scopes=["chat:write", "commands"],
            installed_at=time.time(),
        )
    )
    found = store.find_bot(enterprise_id=None, team_id=team)
    assert found is not None
    assert found.bot_token == "xoxb-test"
    assert found.bot_scopes == ["chat:write", "commands"]


def test_oauth_states_are_issued_once(engine):
    store = SQLAlchemyOAuthStateStore(expiration_seconds=60, engine=engine)
    state = store.issue()
    assert store.consume(state) is True
    assert store.consume(state) is False
