"""Personal alert settings behind `/silta subscribe`, `unsubscribe`, `mute` and `unmute`.

Each function returns the sentence the person sees. Muting for everyone is an admin action:
the caller says whether the person is one (see `bot.admins`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot import commands
from bot.config import parse_duration
from bot.errors import CommandError
from bot.models import Alert, Mute, Subscription
from bot.store import alerts, subscriptions


@dataclass(frozen=True)
class Settings:
    subscriptions: list[Subscription]
    mutes: list[Mute]
    alert_problem: str | None = None
    """Why the person's newest alert did not reach them, when it did not."""


def describe(kind: str, value: str) -> str:
    if kind == "urgent":
        return "urgent mentions"
    if kind == "category":
        return f"every {value} mention"
    return f'mentions saying "{value}"'


def current(user_id: str, *, session: Session, now: datetime) -> Settings:
    return Settings(
        subscriptions=subscriptions.get_all(user_id, session=session),
        mutes=subscriptions.mutes_for(user_id, now=now, session=session),
        alert_problem=_alert_problem(alerts.last_failure(user_id, session=session)),
    )


def _alert_problem(alert: Alert | None) -> str | None:
    if alert is None:
        return None
    then = "it will not try again" if alert.status == alerts.FAILED else "it keeps trying"
    return (
        f"Silta could not DM you your last alert (Slack said `{alert.error}`); {then}. An admin "
        "can check the app's scopes and whether it may message you."
    )


def subscribe(user_id: str, command: commands.Subscribe, *, session: Session) -> str:
    created = subscriptions.get_or_create(user_id, command.kind, command.value, session=session)
    what = describe(command.kind, command.value)
    return (
        f"You will get a DM for {what}."
        if created
        else f"You already get a DM for {what}; `/silta subscribe` lists all you get."
    )


def unsubscribe(user_id: str, command: commands.Unsubscribe, *, session: Session) -> str:
    what = describe(command.kind, command.value)
    if subscriptions.remove(user_id, command.kind, command.value, session=session):
        return f"No more DMs for {what}."
    raise CommandError(f"You were not subscribed to {what}; `/silta subscribe` lists what you get.")


def mute(
    user_id: str, command: commands.Mute, *, is_admin: bool, session: Session, now: datetime
) -> str:
    if command.everyone and not is_admin:
        raise CommandError(
            "Sorry, muting for everyone is for workspace admins and the admins named in "
            "silta.toml. You can mute it for yourself: `/silta mute "
            f"{command.term}`."
        )
    until = now + parse_duration(command.duration) if command.duration else None
    subscriptions.mute(
        command.term,
        user_id=None if command.everyone else user_id,
        until=until,
        created_by=user_id,
        session=session,
    )
    who = "anyone" if command.everyone else "you"
    when = f" until {until:%Y-%m-%d %H:%M} UTC" if until else ""
    return f'Muted "{command.term}": no alert about it will reach {who}{when}.'


def unmute(user_id: str, command: commands.Unmute, *, is_admin: bool, session: Session) -> str:
    if command.everyone and not is_admin:
        raise CommandError(
            "Sorry, only workspace admins and the admins named in silta.toml can unmute "
            "for everyone."
        )
    owner = None if command.everyone else user_id
    if subscriptions.unmute(command.term, user_id=owner, session=session):
        return f'Unmuted "{command.term}".'
    raise CommandError(f'"{command.term}" was not muted; `/silta subscribe` lists your mutes.')
