"""The one Bolt app, built from the configuration.

Its Web API client (`bot.slack_client`) may repeat any call (`Retry.SAFE_TO_REPEAT`). The app
verifies every HTTP request's signature (Bolt's RequestVerification: v0 HMAC, 5-minute window),
installs with OAuth into slack_sdk's SQLAlchemy stores when a client id and secret are set, and
has no listeners of its own: `bot.wiring.slack_app` adds those of handlers/. Nothing happens at
import: the factories do it all.
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config, Settings
from bot.errors import ConfigError
from bot.slack_client import Retry, make_client

SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "channels:history",
    "groups:history",
    "im:history",
    "files:write",
)
"""Bot scopes, each for a method Silta calls: /silta (commands), chat.postMessage/update/
postEphemeral (chat:write, and .public to post to a team channel Silta was not invited to),
conversations.open for DMs (im:write), users.info to recognise workspace admins (users:read),
conversations.history/replies so a digest interrupted by a crash is found, not posted twice
(channels:history, groups:history for private team channels), and so is an alert DM whose
answer was lost (im:history), and the weekly report's chart (files:write). views.publish
(App Home) and auth.test need no scope. manifest.yml lists the same."""
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"


def oauth_settings(settings: Settings, engine: Engine) -> OAuthSettings | None:
    """Multi-workspace install, only when a client id and secret are configured."""
    if not (settings.slack_client_id and settings.slack_client_secret):
        return None
    installations = SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id,
        engine=engine,
        installations_table_name="slack_installations",
        bots_table_name="slack_bots",
    )
    states = SQLAlchemyOAuthStateStore(
        expiration_seconds=600, engine=engine, table_name="slack_oauth_states"
    )
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(SCOPES),
        installation_store=installations,
        state_store=states,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )


class _EnvironmentTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that the client
    Silta hands it (which carries that same token) wins. Silta reads the environment once, in
    `bot.config`; the warning would only worry whoever reads the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


def create_app(
    config: Config,
    *,
    sessions: sessionmaker[Session],
    client: WebClient | None = None,
    socket_mode: bool = False,
) -> App:
    """The Bolt app, without listeners. Over HTTP a signing secret is required; in Socket
    Mode requests arrive on Slack's own authenticated WebSocket instead."""
    settings = config.settings
    if not socket_mode and not settings.slack_signing_secret:
        raise ConfigError(
            [
                "SLACK_SIGNING_SECRET: missing; Slack's requests cannot be verified without it "
                "(Basic Information → App Credentials → Signing Secret)"
            ]
        )
    engine = sessions.kw.get("bind")
    oauth = oauth_settings(settings, engine) if engine is not None else None
    if oauth is None and not settings.slack_bot_token:
        raise ConfigError(
            [
                "SLACK_BOT_TOKEN: missing; set it (OAuth & Permissions → Bot User OAuth Token) "
                "or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install with OAuth"
            ]
        )
    logger = logging.getLogger("silta.slack")
    if not any(isinstance(f, _EnvironmentTokenNotice) for f in logger.filters):
        logger.addFilter(_EnvironmentTokenNotice())
    app = App(
        name="silta",
        logger=logger,
        client=client
        or make_client(
            settings,
            retry=Retry.SAFE_TO_REPEAT,
            token=None if oauth else settings.slack_bot_token,
        ),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=not socket_mode,
        oauth_settings=oauth,
        process_before_response=False,
    )
    return app
