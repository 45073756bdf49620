"""Silta: carries what people say about a company on social media to the team that can act.

`bot/` is the core. Nothing in it imports `handlers/` or `digests/`, except `bot.wiring`, which
puts Silta together, so the core can be tested and reused without Slack.
"""

__version__ = "0.1.0"
