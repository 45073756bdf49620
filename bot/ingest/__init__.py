"""Hearing what sources say: one module per kind of source, the poller that runs them with
cursors, dedup and health, and the pushed ways in (webhook, import) that share its rules."""
