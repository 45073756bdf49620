"""GitHub: issues and pull requests from `search/issues`, and discussions when a token is given.

Search pages with the `Link` header and stops at 1,000 results; past that the walk narrows the
query with `created:<=…` instead. The time bounds are part of the query text (`created:>=…`).
Discussions are only searchable through GraphQL, which always needs a token.

The demo feed serves the issue search, bounded by `created:` qualifiers and paged by Link
headers, and no discussions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.demo.feeds.formats import (
    Answer,
    Query,
    digest,
    iso,
    parse_iso,
    published,
    seconds,
    user_id,
)
from bot.demo.feeds.paging import numeric, size
from bot.demo.feeds.routes import FeedRequest, Route
from bot.demo.posts import WorldMention
from bot.ingest.base import Batch, DescendingWalk, Key, Page
from bot.ingest.http import Fetcher
from bot.ingest.normalize import mention, to_utc, total
from bot.sources.base import SourceConfig, SourceKind, credential

DEFAULT_BASE = "https://api.github.com"
PER_PAGE = 100
RESULT_CAP = 1000
DISCUSSIONS = """
query($q: String!, $after: String) {
  search(query: $q, type: DISCUSSION, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { ... on Discussion {
      id url title bodyText createdAt upvoteCount
      author { login } comments { totalCount } repository { nameWithOwner }
    } }
  }
}"""


def _stamp(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _query(base: str, since: Key | None, upper: Key | None) -> str:
    parts = [base]
    if since is not None:
        parts.append(f"created:>={_stamp(int(since))}")
    if upper is not None:
        parts.append(f"created:<={_stamp(int(upper))}")
    return " ".join(parts)


class GitHubSource(SourceConfig):
    kind: Literal["github"]
    query: str
    token: str | None = credential()
    """Discussions are searched only with a token."""


class _Walk(DescendingWalk[GitHubSource]):
    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self.source.token:
            headers["Authorization"] = f"Bearer {self.source.token}"
        return headers

    def _base(self) -> str:
        return (self.source.base_url or DEFAULT_BASE).rstrip("/")


class Issues(_Walk):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        page, upper = (token or {}).get("page", 1), (token or {}).get("before", before)
        params = {
            "q": _query(self.source.query, since, upper),
            "sort": "created",
            "order": "desc",
            "per_page": PER_PAGE,
            "page": page,
        }
        response = self.fetcher.check(
            self.fetcher.request(
                "GET", f"{self._base()}/search/issues", params=params, headers=self._headers()
            )
        )
        data = response.json()
        items = [(k, _issue(i)) for i in data.get("items") or [] if (k := _seconds(i)) is not None]
        return Page(items, _next(response.headers.get("link"), page, upper, items))


def _next(link: str | None, page: int, upper: Key | None, items: list[Any]) -> Any:
    if not items:
        return None
    has_next = any('rel="next"' in part for part in (link or "").split(","))
    if has_next and (page + 1) * PER_PAGE <= RESULT_CAP:
        return {"page": _link_page(link) or page + 1, "before": upper}
    if has_next:
        return {"page": 1, "before": min(k for k, _ in items)}
    return None


def _link_page(link: str | None) -> int | None:
    for part in (link or "").split(","):
        if 'rel="next"' in part and "<" in part:
            target = part[part.index("<") + 1 : part.index(">")]
            values = parse_qs(urlsplit(target).query).get("page")
            return int(values[0]) if values and values[0].isdigit() else None
    return None


class Discussions(_Walk):
    def fetch(self, *, since: Key | None, before: Key | None, token: Any) -> Page:
        variables = {"q": _query(f"{self.source.query} sort:created-desc", since, before)}
        if token:
            variables["after"] = token
        response = self.fetcher.check(
            self.fetcher.request(
                "POST",
                f"{self._base()}/graphql",
                json={"query": DISCUSSIONS, "variables": variables},
                headers=self._headers(),
            )
        )
        data = response.json()
        if data.get("errors"):
            raise self.fetcher.error(f"GitHub GraphQL said: {data['errors'][0].get('message')}")
        search = (data.get("data") or {}).get("search") or {}
        nodes = [n for n in search.get("nodes") or [] if n and n.get("id")]
        items = [(k, _discussion(n)) for n in nodes if (k := _seconds(n)) is not None]
        info = search.get("pageInfo") or {}
        return Page(items, info.get("endCursor") if info.get("hasNextPage") and items else None)


class GitHub:
    """Both searches, each with its own part of the cursor."""

    def __init__(self, source: GitHubSource, fetcher: Fetcher) -> None:
        self.walks: dict[str, _Walk] = {"issues": Issues(source, fetcher)}
        if source.token:
            self.walks["discussions"] = Discussions(source, fetcher)

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[Batch]:
        state = {name: dict(cursor.get(name) or {}) for name in self.walks}
        for name, walk in self.walks.items():
            for batch in walk.poll(state[name]):
                if batch.cursor is not None:
                    state[name] = batch.cursor
                yield Batch(batch.mentions, None if batch.cursor is None else dict(state))


def _seconds(node: dict[str, Any]) -> int | None:
    moment = to_utc(node.get("created_at") or node.get("createdAt"))
    return int(moment.timestamp()) if moment else None


def _issue(item: dict[str, Any]) -> Any:
    repo_url = item.get("repository_url") or ""
    return mention(
        external_id=f"issue:{item['id']}",
        published_at=item.get("created_at"),
        text=item.get("body") or "",
        title=item.get("title"),
        url=item.get("html_url"),
        author=(item.get("user") or {}).get("login"),
        engagement=total(item.get("comments"), (item.get("reactions") or {}).get("total_count")),
        extra={
            "repository": "/".join(repo_url.rstrip("/").split("/")[-2:]) or None,
            "pull_request": "pull_request" in item,
            "state": item.get("state"),
        },
    )


def _discussion(node: dict[str, Any]) -> Any:
    return mention(
        external_id=f"discussion:{node['id']}",
        published_at=node.get("createdAt"),
        text=node.get("bodyText") or "",
        title=node.get("title"),
        url=node.get("url"),
        author=(node.get("author") or {}).get("login"),
        engagement=total(node.get("upvoteCount"), (node.get("comments") or {}).get("totalCount")),
        extra={"repository": (node.get("repository") or {}).get("nameWithOwner")},
    )


# -- the demo feed ----------------------------------------------------------------------


_CREATED = re.compile(r"created:(>=|<=|>|<)(\S+)")


def search_issues(request: FeedRequest) -> Answer:
    shown, path, query, start = request.shown, request.path, request.query, request.start
    url, page_size = request.url, request.page_size
    for op, value in _CREATED.findall(query.get("q", "")):
        bound = int(parse_iso(value).timestamp())
        shown = [m for m in shown if numeric(seconds(m, start), f"t{op}{bound}")]
    if query.get("order") == "asc":
        shown = shown[::-1]
    per_page = size(query, "per_page", 30, 100, page_size)
    page = int(query.get("page") or 1)
    last = max(1, math.ceil(len(shown) / per_page))
    chunk = shown[(page - 1) * per_page : page * per_page]
    headers: dict[str, str] = {}
    links = []
    if page < last:
        links.append(f'<{_page_url(url, path, query, page + 1)}>; rel="next"')
        links.append(f'<{_page_url(url, path, query, last)}>; rel="last"')
    if page > 1:
        links.append(f'<{_page_url(url, path, query, page - 1)}>; rel="prev"')
    if links:
        headers["Link"] = ", ".join(links)
    items = [_served_issue(m, start) for m in chunk]
    return (
        200,
        {"total_count": len(shown), "incomplete_results": False, "items": items},
        headers,
    )


def discussions(request: FeedRequest) -> Answer:
    search = {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": []}
    return 200, {"data": {"search": search}}, {}


def _page_url(url: str, path: str, query: Query, page: int) -> str:
    return f"{url}{path}?{urlencode({**query, 'page': page})}"


def _served_issue(m: WorldMention, start: datetime) -> dict[str, Any]:
    at = iso(published(m, start), millis=False)
    number = int(m.url.rsplit("/", 1)[1])
    api = f"https://api.github.example/repos/{m.where}"
    return {
        "url": f"{api}/issues/{number}",
        "repository_url": api,
        "html_url": m.url,
        "id": int(m.id.removeprefix("issue:")),
        "node_id": "I_kw" + digest(m.id.encode())[:12],
        "number": number,
        "title": m.title or m.text[:80],
        "user": {"login": m.author, "id": int(user_id(m.author)) % 90_000_000, "type": "User"},
        "labels": [],
        "state": "open",
        "locked": False,
        "comments": m.seq % 5,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "author_association": "NONE",
        "body": m.text,
        "reactions": {"total_count": m.reach or 0},
        "score": 1.0,
    }


KIND = SourceKind(
    GitHubSource,
    connect=GitHub,
    feed=(
        Route("GET", "/search/issues", search_issues),
        Route("POST", "/graphql", discussions),
    ),
)
