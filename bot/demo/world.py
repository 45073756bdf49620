"""The demo world: Brightwell, a fictional company, its silta.toml and what people say about it.

The data lives beside this module in `bot/demo/world/` (one JSON Lines file per source kind, and
the workspace template `silta.toml`), read through `importlib.resources`. Each line is one
mention as the world's author wrote it:

    {"at": "day 2 14:05", "author": "…", "reach": 1200, "title": "…", "text": "…",
     "category": "support_issue", …}

`at` is when it is published, counted from the start of the virtual week: "day D HH:MM" is D
days plus HH:MM after the start (D may be negative: the backlog published before the demo
starts), or a whole number of minutes. `category` is what the author meant; it is for tests
and docs, never shown to the classifier. Optional keys: `lang`, `name` (display name), `url`,
`where` (subreddit, repository, video or site), `story` (a cross-posted story's tag).

Ids are made here, per kind in publish order, in each API's own shape (snowflakes that grow
with time, Reddit fullnames, AT-URIs…), so the APIs that page by id page correctly.
`WorldMention.id` is the external id Silta stores, and `url` the link it stores.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

from bot.config import Workspace, load_workspace
from bot.demo.posts import WorldMention
from bot.sources import kind_named

PLACEHOLDER = "{{sources_url}}"
SOURCES = {
    "rss": "news-alerts",
    "hackernews": "hn",
    "reddit": "reddit",
    "mastodon": "mastodon",
    "bluesky": "bluesky",
    "stackexchange": "stackoverflow",
    "github": "github",
    "youtube": "youtube",
    "x": "x",
    "webhook": "app-reviews",
}
"""The source each kind's mentions come from, by its name in the template."""
KINDS = tuple(SOURCES)
"""The kinds the world has posts for (`<kind>.jsonl`): every kind Silta reads when the world was
written, but file imports, as a company's mentions would arrive. A kind added since has none,
and its demo feed serves an empty list."""
POLLED = tuple(kind for kind in KINDS if not kind_named(kind).pushed)

DEFAULT_WHERE = {
    "reddit": "smallbusiness",
    "github": "brightwell/brightwell-python",
    "youtube": "Bw7dEmoShft",
    "stackexchange": "stackoverflow",
}
_AT = re.compile(r"^\s*day\s+(-?\d+)\s+(\d{1,2}):(\d{2})\s*$")
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def parse_at(value: str | int) -> timedelta:
    """ "day 2 14:05" → 2 days 14 h 5 min; an int is minutes."""
    if isinstance(value, int):
        return timedelta(minutes=value)
    found = _AT.match(value)
    if not found:
        raise ValueError(f'"{value}" is not "day D HH:MM" nor a number of minutes')
    day, hour, minute = (int(g) for g in found.groups())
    if hour > 23 or minute > 59:
        raise ValueError(f'"{value}": the time of day is out of range')
    return timedelta(days=day, hours=hour, minutes=minute)


def _data(name: str) -> str:
    return resources.files("bot.demo").joinpath("world", name).read_text(encoding="utf-8")


def _rows(kind: str) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(_data(f"{kind}.jsonl").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"world/{kind}.jsonl line {number}: {exc}") from None
    return rows


@cache
def _load() -> tuple[WorldMention, ...]:
    mentions: list[WorldMention] = []
    for kind in KINDS:
        rows = sorted(_rows(kind), key=lambda r: parse_at(r["at"]))  # stable: file order on ties
        mentions += [_mention(kind, seq, row) for seq, row in enumerate(rows)]
    return tuple(mentions)


def load_mentions() -> list[WorldMention]:
    """Every mention of the world, kind by kind, each kind in publish order."""
    return list(_load())


def _mention(kind: str, seq: int, row: dict[str, Any]) -> WorldMention:
    where = row.get("where") or DEFAULT_WHERE.get(kind)
    external_id, url = _identity(kind, seq, row, where)
    return WorldMention(
        kind=kind,
        source=SOURCES[kind],
        id=external_id,
        author=row["author"],
        reach=row.get("reach"),
        title=row.get("title"),
        text=row["text"],
        url=row.get("url") or url,
        offset=parse_at(row["at"]),
        category=row["category"],
        language=row.get("lang", "en"),
        author_name=row.get("name"),
        where=where,
        story=row.get("story"),
        seq=seq,
    )


def _identity(kind: str, seq: int, row: dict[str, Any], where: str | None) -> tuple[str, str]:
    """(external id, link) in the API's own shape, growing with `seq` where the API pages by id."""
    slug = _slug(row.get("title") or row["text"])
    author = row["author"]
    if kind == "hackernews":
        number = str(42_100_000 + 173 * seq)
        return number, f"https://news.ycombinator.com/item?id={number}"
    if kind == "reddit":
        base = _base36(int("1h2a00", 36) + 7 * seq)
        if row.get("title"):
            return f"t3_{base}", f"https://www.reddit.com/r/{where}/comments/{base}/{slug}/"
        post = _base36(int("1h0k00", 36) + 5 * seq)
        return f"t1_{base}", f"https://www.reddit.com/r/{where}/comments/{post}/comment/{base}/"
    if kind == "mastodon":
        number = str(113_540_000_000_000_000 + 1_000_003 * seq)
        user, _, server = author.partition("@")
        return number, f"https://{server or 'mastodon.example'}/@{user}/{number}"
    if kind == "bluesky":
        rkey = "3lb" + _base32(7_000_000_000 + 104_729 * seq, 10)
        did = "did:plc:" + _hex(author.encode())[:24]
        return f"at://{did}/app.bsky.feed.post/{rkey}", (
            f"https://bsky.app/profile/{author}/post/{rkey}"
        )
    if kind == "stackexchange":
        number = str(79_210_000 + 31 * seq)
        return number, f"https://{where}.example/questions/{number}/{slug}"
    if kind == "github":
        issue = 2_701_000_000 + 977 * seq
        return f"issue:{issue}", f"https://github.example/{where}/issues/{300 + seq}"
    if kind == "youtube":
        thread = "Ugx" + _hex(f"yt{seq}".encode())[:16] + "4AaABAg"
        return thread, f"https://www.youtube.com/watch?v={where}&lc={thread}"
    if kind == "x":
        number = str(1_861_000_000_000_000_000 + 4_194_304_000 * seq)
        return number, f"https://x.com/{author}/status/{number}"
    if kind == "webhook":
        return f"review-{seq:04d}", f"https://reviews.example/brightwell-shifts/{seq:04d}"
    url = f"https://news.example/brightwell/{seq:04d}-{slug}"
    return url, url


def _hex(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:6]
    return "_".join(words) or "post"


def _base36(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = _B36[rest] + digits
    return digits or "0"


def _base32(number: int, width: int) -> str:
    digits = ""
    for _ in range(width):
        number, rest = divmod(number, 32)
        digits = _B32[rest] + digits
    return digits


def template() -> str:
    """The workspace file with `{{sources_url}}` where the feed server's URL goes."""
    return _data("silta.toml")


def workspace_toml(sources_url: str) -> str:
    """The company's silta.toml, every source pointed at the feed server at `sources_url`."""
    return template().replace(PLACEHOLDER, sources_url.rstrip("/"))


def workspace(sources_url: str) -> Workspace:
    """The rendered workspace, validated by `bot.config` (a ConfigError lists any problem)."""
    return load_workspace(tomllib.loads(workspace_toml(sources_url)), {}, path="demo silta.toml")


def _template_data() -> dict[str, Any]:
    return tomllib.loads(workspace_toml("http://127.0.0.1"))


def company_name() -> str:
    return str(_template_data()["company"]["name"])


def channels() -> dict[str, str]:
    """Team → channel name without the '#', for a sandbox that creates the channels."""
    teams = _template_data()["teams"]
    return {team: str(spec["channel"]).lstrip("#") for team, spec in teams.items()}
