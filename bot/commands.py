"""The pure half of the `/silta` grammar: which subcommand a text names, the words after it,
and one parser per subcommand that turns them into a typed command, or a CommandError that
shows that subcommand's usage. It knows the team and source names it is given and nothing else.

The subcommands themselves, each a name, its usage, its parser and its answer, are one list:
`handlers.subcommands.SUBCOMMANDS`. It lives beside the answers, which need Slack and the
digests; `read` takes it as an argument, so nothing here imports handlers/.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol, TypeVar

from bot.durations import parse_duration
from bot.errors import CommandError
from bot.taxonomy import CATEGORIES

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


class Named(Protocol):
    """What `read` needs of a subcommand to find it (`handlers.subcommands.Subcommand`)."""

    @property
    def name(self) -> str: ...

    @property
    def usage(self) -> str: ...


S = TypeVar("S", bound=Named)


def _usage_error(usage: str, problem: str) -> CommandError:
    return CommandError(f"{problem}\nUsage: `{usage}`")


@dataclass(frozen=True)
class Words:
    """What followed a subcommand's name, and what its parser checks them against; its
    usage comes from the subcommand's record, so an error shows the usage help shows."""

    name: str
    usage: str
    args: tuple[str, ...] = ()
    teams: Sequence[str] = ()
    sources: Sequence[str] = ()
    quoted: bool = False
    """Whether the text held a double quote (curly ones too): `subscribe "urgent"` then
    watches the word, not urgent mentions."""

    def error(self, problem: str) -> CommandError:
        return _usage_error(self.usage, problem)


def read(
    text: str,
    subcommands: Sequence[S],
    *,
    teams: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> tuple[S, Words]:
    """The subcommand that what followed `/silta` names (the first one when nothing did), and
    the words for its parser; a name that is not one says the closest name and its usage."""
    split = _split(text)
    subcommand = _find(split[0].lower(), subcommands) if split else subcommands[0]
    words = Words(
        subcommand.name,
        subcommand.usage,
        tuple(split[1:]),
        teams=tuple(teams),
        sources=tuple(sources),
        quoted='"' in (text or "").translate(_QUOTES),
    )
    return subcommand, words


def _find(name: str, subcommands: Sequence[S]) -> S:
    by_name = {subcommand.name: subcommand for subcommand in subcommands}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.5)
    if close:
        problem = f"There is no `/silta {name}`; did you mean `{close[0]}`?"
        raise _usage_error(by_name[close[0]].usage, problem)
    raise CommandError(
        f"There is no `/silta {name}`. Try one of: "
        + ", ".join(f"`{n}`" for n in by_name)
        + ". `/silta help` explains each."
    )


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


def parse_help(_words: Words) -> Help:
    """Whatever follows `help`: someone lost gets help, not a usage error."""
    return Help()


def parse_search(words: Words) -> Search:
    said: list[str] = []
    found: dict[str, str] = {}
    for arg in words.args:
        key, sep, value = arg.partition(":")
        if not sep or key.lower().startswith("http") or not key.isalpha():
            said.append(arg)
            continue
        key = key.lower()
        if key not in FILTERS:
            close = difflib.get_close_matches(key, FILTERS, n=1, cutoff=0.5)
            hint = f"did you mean `{close[0]}:`?" if close else f"use {', '.join(FILTERS)}"
            raise words.error(f"`{key}:` is not a filter; {hint}")
        if not value:
            raise words.error(f"`{key}:` needs a value, e.g. `{key}:{_EXAMPLE[key]}`")
        found[key] = _filter(key, value, words)
    if not said and not found:
        raise words.error("Search for what? Give some words or a filter.")
    return Search(
        words=" ".join(said),
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


def _filter(key: str, value: str, words: Words) -> str:
    if key == "team":
        return _one_of(value.lower(), words.teams, "team", words)
    if key == "category":
        return _one_of(value.lower(), CATEGORIES, "category", words)
    if key == "source":
        return (
            _one_of(value.lower(), words.sources, "source", words)
            if words.sources
            else value.lower()
        )
    if key == "sentiment":
        return _one_of(value.lower(), SENTIMENTS, "sentiment", words)
    try:
        parse_duration(value)
    except ValueError:
        raise words.error(f'`since:{value}` is not a duration; use e.g. "7d"') from None
    return value.lower().strip()


def _one_of(value: str, allowed: Sequence[str], what: str, words: Words) -> str:
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    if close:
        raise words.error(f'There is no {what} "{value}"; did you mean "{close[0]}"?')
    known = ", ".join(allowed) if allowed else "none configured"
    raise words.error(f'There is no {what} "{value}" (known: {known}).')


def parse_stats(words: Words) -> Stats:
    scope, period = _scope_and_period(words, [*words.teams, *CATEGORIES], list(PERIODS))
    return Stats(scope=scope, period=period or "7d")


def parse_top(words: Words) -> Top:
    team, period = _scope_and_period(words, list(words.teams), list(TOP_PERIODS))
    return Top(team=team, period=period or "24h")


def parse_triage(words: Words) -> Triage:
    team, period = _scope_and_period(words, list(words.teams), list(PERIODS))
    return Triage(team=team, period=period or "7d")


def _scope_and_period(
    words: Words, scopes: list[str], periods: list[str]
) -> tuple[str | None, str | None]:
    scope = period = None
    for arg in (a.lower() for a in words.args):
        if arg in periods and period is None:
            period = arg
        elif arg in scopes and scope is None:
            scope = arg
        else:
            choices = scopes + periods
            close = difflib.get_close_matches(arg, choices, n=1, cutoff=0.5)
            hint = f'did you mean "{close[0]}"?' if close else "check the usage below"
            raise words.error(f'"{arg}" is not a team, category or period; {hint}')
    return scope, period


def parse_digest(words: Words) -> Digest:
    if len(words.args) != 1:
        raise words.error("Name one team, e.g. `/silta digest support`.")
    return Digest(team=_one_of(words.args[0].lower(), words.teams, "team", words))


def parse_sources(words: Words) -> Sources:
    if words.args:
        raise words.error("`sources` takes nothing after it.")
    return Sources()


def parse_subscribe(words: Words) -> Subscriptions | Subscribe:
    if not words.args:
        return Subscriptions()
    kind, value = _subscription(words)
    return Subscribe(kind=kind, value=value)


def parse_unsubscribe(words: Words) -> Unsubscribe:
    if not words.args:
        raise words.error("Say what to stop: urgent, a category or a keyword.")
    kind, value = _subscription(words)
    return Unsubscribe(kind=kind, value=value)


def _subscription(words: Words) -> tuple[SubscriptionKind, str]:
    """One thing: urgent, a category, or a keyword (any quoted phrase, or an unquoted one that
    is neither). An unquoted word that is nearly a category is a typo to point out, not a
    keyword to watch."""
    phrase = " ".join(words.args).strip()
    lowered = phrase.lower()
    if words.quoted and lowered and len(lowered) <= 100:
        return "keyword", lowered
    if lowered == "urgent":
        return "urgent", ""
    if lowered in CATEGORIES:
        return "category", lowered
    if len(words.args) == 1 and " " not in phrase:
        close = difflib.get_close_matches(lowered, [*CATEGORIES, "urgent"], n=1, cutoff=0.8)
        if close:
            raise words.error(
                f'"{phrase}" looks like "{close[0]}"; to watch the word itself, quote it: '
                f'`/silta {words.name} "{phrase}"`'
            )
    if len(lowered) > 100:
        raise words.error("A keyword is at most 100 characters.")
    return "keyword", lowered


def parse_mute(words: Words) -> Mute:
    term, duration, everyone = _mute_args(words, allow_duration=True)
    return Mute(term=term, duration=duration, everyone=everyone)


def parse_unmute(words: Words) -> Unmute:
    term, _, everyone = _mute_args(words, allow_duration=False)
    return Unmute(term=term, everyone=everyone)


def _mute_args(words: Words, *, allow_duration: bool) -> tuple[str, str | None, bool]:
    rest = list(words.args)
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
        raise words.error("Say what to mute: a word, a phrase or an @author.")
    if len(term) > 100:
        raise words.error("A muted term is at most 100 characters.")
    return term, duration, everyone
