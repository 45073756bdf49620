"""The demo's public sources: one local HTTP server that answers like each API, over the world.

    with FeedServer(load_mentions(), start=monday, clock=virtual_now) as feeds:
        workspace_toml(feeds.url)        # every source's base_url is this server

A mention is published at `start + offset` and served only once `clock()` has reached that
moment, so a poll sees what a real API would have shown at that virtual time. Each endpoint
speaks its API's shape and honours the bounds and paging the connectors send (numeric filters,
since/until ids, cursors, page tokens, Link headers, ETags), ordered as each API orders.

Routes (the paths the connectors in `bot/ingest/` call under `base_url`):

    GET  /feeds/<anything>                        RSS 2.0 (ETag, Last-Modified, 304)
    GET  /api/v1/search_by_date                   Hacker News (Algolia)
    GET  /search.json, /r/<sub>/<listing>.json    Reddit listings (`after` = a fullname)
    POST /api/v1/access_token                     Reddit app-only sign-in
    GET  /api/v1/timelines/tag/<tag>, /api/v2/search   Mastodon
    GET  /xrpc/app.bsky.feed.searchPosts          Bluesky (and createSession)
    GET  /search/advanced                         Stack Exchange
    GET  /search/issues, POST /graphql            GitHub
    GET  /commentThreads                          YouTube Data API
    GET  /2/tweets/search/recent                  X API v2

`server` answers and routes; each API's shapes live in the module named after it, over the
shared `formats` and `paging`. Standard library only: the demo needs nothing that tests do not
already have.
"""

from bot.demo.feeds.server import FeedServer

__all__ = ["FeedServer"]
