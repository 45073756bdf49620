"""Local stand-ins for what cannot run here: the public sources (`sources`) and Slack's Socket
Mode endpoint (`socket_mode`), served over real HTTP and WebSocket on loopback. The fake Slack Web
API is the package's own sandbox, `bot.sandbox.Sandbox`, which `silta demo` ships."""
