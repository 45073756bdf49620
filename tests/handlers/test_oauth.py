from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot import db
from bot.config import Config, Settings
from bot.slack import SCOPES, create_app
from bot.web import create_app as create_web_app
from tests.builders import workspace
from tests.slack import SECRET, serving


def test_install_link_asks_slack_for_exactly_our_scopes_and_stores_the_state(engine_file):
    config = Config(
        settings=Settings(
            slack_signing_secret=SECRET,
            slack_client_id="111.222",
            slack_client_secret="shh",
        ),
        workspace=workspace(),
    )
    sessions = db.make_session_factory(engine_file)
    bolt = create_app(config, sessions=sessions)
    web = create_web_app(
        config.workspace, sessions=sessions, mounts={"/slack": SlackRequestHandler(bolt)}
    )
    with serving(web) as url:
        page = httpx.get(f"{url}/slack/install")
    assert page.status_code == 200
    link = next(part for part in page.text.split('"') if "oauth/v2/authorize" in part)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["client_id"] == ["111.222"]
    assert set(query["scope"][0].split(",")) == set(SCOPES)
    with engine_file.connect() as connection:
        states = connection.execute(text("SELECT state FROM slack_oauth_states")).scalars().all()
    assert query["state"] == states
