"""The demo's public sources: one local HTTP server that answers like each API, over the world.

    with FeedServer(load_mentions(), start=monday, clock=virtual_now) as feeds:
        workspace_toml(feeds.url)        # every source's base_url is this server

A mention is published at `start + offset` and served only once `clock()` has reached that
moment, so a poll sees what a real API would have shown at that virtual time. Each endpoint
speaks its API's shape and honours the bounds and paging the connectors send (numeric filters,
since/until ids, cursors, page tokens, Link headers, ETags), ordered as each API orders.

Each source kind's module in `bot/sources/` declares the routes its feed answers (the paths its
connector calls under `base_url`); `server` answers and routes through them, over the shared
`formats`, `paging` and `routes`. `FeedServer` is imported from `bot.demo.feeds.server`, not from
here: the kinds import this package's helpers, and the server imports the kinds. Standard
library only: the demo needs nothing that tests do not already have.
"""
