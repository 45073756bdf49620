"""Webhooks: mentions pushed to `POST /ingest/<name>` by another tool (Zapier, Brand24, an app
store), authorised by the source's secret. Pushed, not polled: the intake is
`bot.ingest.webhook`."""

from __future__ import annotations

from typing import Literal

from bot.sources.base import SourceConfig, SourceKind, credential


class WebhookSource(SourceConfig):
    kind: Literal["webhook"]
    secret: str = credential(required=True)
    """The bearer token, or the HMAC key of the `X-Silta-Signature` header."""


KIND = SourceKind(WebhookSource)
