"""Local stand-ins for what cannot run here: the public sources (`sources`, with `apis` for the
ones that answer with real paging semantics), Slack's Socket Mode endpoint (`socket_mode`) and
the bot's own Slack endpoint as the sandbox sees it (`receiver`), served over real HTTP and
WebSocket on loopback. The fake Slack Web API is the package's own sandbox,
`bot.sandbox.Sandbox`, which `silta demo` ships."""
