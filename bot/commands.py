"""The `/silta` grammar: text in, a typed command out, or a CommandError that shows the
closest valid usage. Pure: it knows the team and source names it is given and nothing else.

    help
    search <words> [team:<name>] [category:<c>] [source:<s>] [since:7d] [sentiment:negative]
    stats [team|category] [24h|7d|30d]
    top [team] [24h|7d]
    triage [team] [24h|7d|30d]
    digest <team>
    sources
    subscribe [urgent|<category>|"<keyword>"]
    unsubscribe urgent|<category>|"<keyword>"
    mute <term|@author> [7d] [everyone]
    unmute <term|@author> [everyone]
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.config import parse_duration
from bot.errors import CommandError
from bot.taxonomy import CATEGORIES

USAGE: dict[str, str] = {
    "help": "/silta help",
    "search": (
        "/silta search <words> [team:<name>] [category:<c>] [source:<s>] [since:7d] "
        "[sentiment:negative]"
    ),
    "stats": "/silta stats [team|category] [24h|7d|30d]",
    "top": "/silta top [team] [24h|7d]",
    "triage": "/silta triage [team] [24h|7d|30d]",
    "digest": "/silta digest <team>",
    "sources": "/silta sources",
    "subscribe": '/silta subscribe [urgent|<category>|"<keyword>"]',
    "unsubscribe": '/silta unsubscribe urgent|<category>|"<keyword>"',
    "mute": "/silta mute <term|@author> [7d] [everyone]",
    "unmute": "/silta unmute <term|@author> [everyone]",
}
PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
TOP_PERIODS = ("24h", "7d")
SENTIMENTS = ("negative", "neutral", "positive")
FILTERS = ("team", "category", "source", "since", "sentiment")
MAX_WORDS = 200
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Search:
    words: str = ""
    team: str | None = None
    category: str | None = None
    source: str | None = None
    since: str | None = None
    """As typed ("7d"), so a "More" button can carry the query back unchanged."""
    sentiment: Literal["negative", "neutral", "positive"] | None = None

    @property
    def since_delta(self) -> timedelta | None:
        return parse_duration(self.since) if self.since else None

    def text(self) -> str:
        """The command that asks this again, as a person would type it."""
        parts = [self.words] if self.words else []
        for key in FILTERS:
            value = getattr(self, key)
            if value:
                parts.append(f"{key}:{value}")
        return " ".join(parts)


@dataclass(frozen=True)
class Stats:
    scope: str | None = None
    period: str = "7d"


@dataclass(frozen=True)
class Top:
    team: str | None = None
    period: str = "24h"


@dataclass(frozen=True)
class Triage:
    """The mentions classified too unsurely for any team: a person files them."""

    team: str | None = None
    period: str = "7d"


@dataclass(frozen=True)
class Digest:
    team: str


@dataclass(frozen=True)
class Sources:
    pass


@dataclass(frozen=True)
class Subscriptions:
    """`subscribe` alone: list what I get."""


SubscriptionKind = Literal["urgent", "category", "keyword"]


@dataclass(frozen=True)
class Subscribe:
    kind: SubscriptionKind
    value: str = ""


@dataclass(frozen=True)
class Unsubscribe:
    kind: SubscriptionKind
    value: str = ""


@dataclass(frozen=True)
class Mute:
    term: str
    duration: str | None = None
    everyone: bool = False


@dataclass(frozen=True)
class Unmute:
    term: str
    everyone: bool = False


Command = (
    Help
    | Search
    | Stats
    | Top
    | Triage
    | Digest
    | Sources
    | Subscriptions
    | Subscribe
    | Unsubscribe
    | Mute
    | Unmute
)


def usage_error(name: str, problem: str) -> CommandError:
    return CommandError(f"{problem}\nUsage: `{USAGE[name]}`")


def parse(text: str, *, teams: Sequence[str] = (), sources: Sequence[str] = ()) -> Command:
    """Read what followed `/silta`; the error names the problem and the closest usage."""
    words = _split(text)
    if not words:
        return Help()
    name, args = words[0].lower(), words[1:]
    if name not in USAGE:
        close = difflib.get_close_matches(name, list(USAGE), n=1, cutoff=0.5)
        if close:
            raise usage_error(close[0], f"There is no `/silta {name}`; did you mean `{close[0]}`?")
        raise CommandError(
            f"There is no `/silta {name}`. Try one of: "
            + ", ".join(f"`{n}`" for n in USAGE)
            + ". `/silta help` explains each."
        )
    if name in ("subscribe", "unsubscribe") and args and '"' in text.translate(_QUOTES):
        keyword = " ".join(args).strip().lower()
        if keyword and len(keyword) <= 100:
            return (Subscribe if name == "subscribe" else Unsubscribe)("keyword", keyword)
    return _PARSERS[name](args, list(teams), list(sources))


def _split(text: str) -> list[str]:
    text = (text or "").translate(_QUOTES).replace("\x00", " ").strip()
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        words = list(lexer)
    except ValueError:
        words = [w.strip("\"'") for w in text.split()]
    return [w for w in words if w.strip()][: MAX_WORDS + 1]


def _help(args: list[str], teams: list[str], sources: list[str]) -> Command:
    return Help()


def _search(args: list[str], teams: list[str], sources: list[str]) -> Command:
    words: list[str] = []
    found: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition(":")
        if not sep or key.lower().startswith("http") or not key.isalpha():
            words.append(arg)
            continue
        key = key.lower()
        if key not in FILTERS:
            close = difflib.get_close_matches(key, FILTERS, n=1, cutoff=0.5)
            hint = f"did you mean `{close[0]}:`?" if close else f"use {', '.join(FILTERS)}"
            raise usage_error("search", f"`{key}:` is not a filter; {hint}")
        if not value:
            raise usage_error("search", f"`{key}:` needs a value, e.g. `{key}:{_EXAMPLE[key]}`")
        found[key] = _filter(key, value, teams, sources)
    if not words and not found:
        raise usage_error("search", "Search for what? Give some words or a filter.")
    return Search(
        words=" ".join(words),
        team=found.get("team"),
        category=found.get("category"),
        source=found.get("source"),
        since=found.get("since"),
        sentiment=found.get("sentiment"),  # type: ignore[arg-type]
    )


_EXAMPLE = {
    "team": "support",
    "category": "support_issue",
    "source": "hn",
    "since": "7d",
    "sentiment": "negative",
}


def _filter(key: str, value: str, teams: list[str], sources: list[str]) -> str:
    if key == "team":
        return _one_of(value.lower(), teams, "team", "search")
    if key == "category":
        return _one_of(value.lower(), list(CATEGORIES), "category", "search")
    if key == "source":
        return _one_of(value.lower(), sources, "source", "search") if sources else value.lower()
    if key == "sentiment":
        return _one_of(value.lower(), list(SENTIMENTS), "sentiment", "search")
    try:
        parse_duration(value)
    except ValueError:
        raise usage_error("search", f'`since:{value}` is not a duration; use e.g. "7d"') from None
    return value.lower().strip()


def _one_of(value: str, allowed: list[str], what: str, command: str) -> str:
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    if close:
        raise usage_error(command, f'There is no {what} "{value}"; did you mean "{close[0]}"?')
    known = ", ".join(allowed) if allowed else "none configured"
    raise usage_error(command, f'There is no {what} "{value}" (known: {known}).')


def _stats(args: list[str], teams: list[str], sources: list[str]) -> Command:
    scope, period = _scope_and_period(args, teams + list(CATEGORIES), list(PERIODS), "stats")
    return Stats(scope=scope, period=period or "7d")


def _top(args: list[str], teams: list[str], sources: list[str]) -> Command:
    team, period = _scope_and_period(args, teams, list(TOP_PERIODS), "top")
    return Top(team=team, period=period or "24h")


def _triage(args: list[str], teams: list[str], sources: list[str]) -> Command:
    team, period = _scope_and_period(args, teams, list(PERIODS), "triage")
    return Triage(team=team, period=period or "7d")


def _scope_and_period(
    args: list[str], scopes: list[str], periods: list[str], command: str
) -> tuple[str | None, str | None]:
    scope = period = None
    for arg in (a.lower() for a in args):
        if arg in periods and period is None:
            period = arg
        elif arg in scopes and scope is None:
            scope = arg
        else:
            choices = scopes + periods
            close = difflib.get_close_matches(arg, choices, n=1, cutoff=0.5)
            hint = f'did you mean "{close[0]}"?' if close else "check the usage below"
            raise usage_error(command, f'"{arg}" is not a team, category or period; {hint}')
    return scope, period


def _digest(args: list[str], teams: list[str], sources: list[str]) -> Command:
    if len(args) != 1:
        raise usage_error("digest", "Name one team, e.g. `/silta digest support`.")
    return Digest(team=_one_of(args[0].lower(), teams, "team", "digest"))


def _sources(args: list[str], teams: list[str], sources: list[str]) -> Command:
    if args:
        raise usage_error("sources", "`sources` takes nothing after it.")
    return Sources()


def _subscribe(args: list[str], teams: list[str], sources: list[str]) -> Command:
    if not args:
        return Subscriptions()
    kind, value = _subscription(args, "subscribe")
    return Subscribe(kind=kind, value=value)


def _unsubscribe(args: list[str], teams: list[str], sources: list[str]) -> Command:
    if not args:
        raise usage_error("unsubscribe", "Say what to stop: urgent, a category or a keyword.")
    kind, value = _subscription(args, "unsubscribe")
    return Unsubscribe(kind=kind, value=value)


def _subscription(args: list[str], command: str) -> tuple[SubscriptionKind, str]:
    """One thing: urgent, a category, or a keyword (quoted or not). An unquoted word that is
    nearly a category is a typo to point out, not a keyword to watch."""
    phrase = " ".join(args).strip()
    lowered = phrase.lower()
    if lowered == "urgent":
        return "urgent", ""
    if lowered in CATEGORIES:
        return "category", lowered
    if len(args) == 1 and " " not in phrase:
        close = difflib.get_close_matches(lowered, [*CATEGORIES, "urgent"], n=1, cutoff=0.8)
        if close:
            raise usage_error(
                command,
                f'"{phrase}" looks like "{close[0]}"; to watch the word itself, quote it: '
                f'`/silta {command} "{phrase}"`',
            )
    if len(lowered) > 100:
        raise usage_error(command, "A keyword is at most 100 characters.")
    return "keyword", lowered


def _mute(args: list[str], teams: list[str], sources: list[str]) -> Command:
    term, duration, everyone = _mute_args(args, "mute", allow_duration=True)
    return Mute(term=term, duration=duration, everyone=everyone)


def _unmute(args: list[str], teams: list[str], sources: list[str]) -> Command:
    term, _, everyone = _mute_args(args, "unmute", allow_duration=False)
    return Unmute(term=term, everyone=everyone)


def _mute_args(
    args: list[str], command: str, *, allow_duration: bool
) -> tuple[str, str | None, bool]:
    rest = list(args)
    everyone = bool(rest) and rest[-1].lower() in ("everyone", "for:everyone", "all")
    if everyone:
        rest.pop()
    duration = None
    if allow_duration and len(rest) > 1:
        try:
            parse_duration(rest[-1])
        except ValueError:
            pass
        else:
            duration = rest.pop().lower()
    term = " ".join(rest).strip().lower()
    if not term or term == "@":
        raise usage_error(command, "Say what to mute: a word, a phrase or an @author.")
    if len(term) > 100:
        raise usage_error(command, "A muted term is at most 100 characters.")
    return term, duration, everyone


_PARSERS = {
    "help": _help,
    "search": _search,
    "stats": _stats,
    "top": _top,
    "triage": _triage,
    "digest": _digest,
    "sources": _sources,
    "subscribe": _subscribe,
    "unsubscribe": _unsubscribe,
    "mute": _mute,
    "unmute": _unmute,
}
