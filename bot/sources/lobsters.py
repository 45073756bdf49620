"""Lobsters (https://lobste.rs, or another site running its code): the newest stories, or the
newest of one tag, from its public JSON. No key, no search: the connector reads the newest
pages and the poller keeps what names the company (`match`).

Pages hold 25 stories, newest first, numbered from 1 (`/newest.json`, then
`/newest/page/2.json`; `/t/<tag>.json`, `/t/<tag>/page/2.json`); there is no way to ask for a
time range, so the walk turns pages down to the last poll's newest story (`since`), and only an
empty page says there is no older one. Sites
running older code send `submitter_user` as an object with a `username`, newer ones as the
name alone; both are read. The demo feed serves the world's Lobsters stories (it has none yet:
an empty list) in the same shape and paging.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any, Literal
from urllib.parse import quote

from bot.demo.feeds.formats import Answer, iso, published
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import DescendingWalk, Key, Page
from bot.ingest.normalize import mention, to_utc, total
from bot.sources.base import SourceConfig, SourceKind

DEFAULT_BASE = "https://lobste.rs"
PER_PAGE = 25


class LobstersSource(SourceConfig):
    kind: Literal["lobsters"]
    tag: str | None = None
    """Only the stories of this tag (e.g. "python"); every new story when unset."""


class Lobsters(DescendingWalk[LobstersSource]):
    bounded = False

    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        page = int(token or 1)
        stories = self.fetcher.get_json(self._url(page))
        if not isinstance(stories, list):
            raise self.fetcher.error("the site did not answer with a list of stories")
        items = [
            (key, _mention(s, self._base()))
            for s in stories
            if isinstance(s, dict) and s.get("short_id") and (key := _key(s)) is not None
        ]
        return Page(items, page + 1 if items else None)

    def _base(self) -> str:
        return (self.source.base_url or DEFAULT_BASE).rstrip("/")

    def _url(self, page: int) -> str:
        listing = f"/t/{quote(self.source.tag, safe='')}" if self.source.tag else "/newest"
        return f"{self._base()}{listing}{'' if page == 1 else f'/page/{page}'}.json"


def _key(story: dict[str, Any]) -> int | None:
    moment = to_utc(story.get("created_at"))
    return int(moment.timestamp()) if moment else None


def _submitter(story: dict[str, Any]) -> str | None:
    user = story.get("submitter_user")
    if isinstance(user, dict):
        user = user.get("username")
    return str(user) if user else None


def _mention(story: dict[str, Any], base: str) -> Any:
    short_id = str(story["short_id"])
    return mention(
        external_id=short_id,
        published_at=story.get("created_at"),
        html=story.get("description") or None,
        text=story.get("description_plain"),
        title=story.get("title"),
        url=story.get("comments_url") or story.get("short_id_url") or f"{base}/s/{short_id}",
        author=_submitter(story),
        engagement=total(story.get("score"), story.get("comment_count")),
        extra={"link": story.get("url") or None, "tags": story.get("tags") or []},
    )


# -- the demo feed ----------------------------------------------------------------------

_PAGE = re.compile(r"/page/(\d+)\.json$")


def newest(request: FeedRequest) -> Answer:
    shown, path = request.shown, request.path
    if path.startswith("/t/"):
        tag = path.removeprefix("/t/").split("/", 1)[0].removesuffix(".json").lower()
        shown = [m for m in shown if (m.where or "").lower() == tag]
    per_page = min(PER_PAGE, request.page_size or PER_PAGE)
    found = _PAGE.search(path)
    page = int(found.group(1)) if found else 1
    pages = math.ceil(len(shown) / per_page)
    chunk = shown[(page - 1) * per_page : page * per_page] if 1 <= page <= pages else []
    return 200, [_story(m, request) for m in chunk], {}


def _story(m: WorldMention, request: FeedRequest) -> dict[str, Any]:
    at = published(m, request.start)
    comments = f"{request.url}/s/{m.id}"
    return {
        "short_id": m.id,
        "short_id_url": comments,
        "created_at": iso(at),
        "title": m.title or m.text[:80],
        "url": "",
        "score": m.reach or 1,
        "comment_count": (m.reach or 1) // 4,
        "description": "".join(f"<p>{html.escape(p)}</p>" for p in m.text.split("\n\n")),
        "description_plain": m.text,
        "comments_url": comments,
        "submitter_user": m.author,
        "tags": [m.where] if m.where else [],
    }


KIND = SourceKind(
    LobstersSource,
    connect=Lobsters,
    feed=(
        Route("GET", "/newest.json", newest),
        Route("GET", "/newest/page/", newest, prefix=True),
        Route("GET", "/t/", newest, prefix=True),
    ),
)
