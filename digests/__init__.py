"""Team digests and the weekly report: build (queries into plain data), render (Block Kit),
deliver (exactly once), on each team's own schedule (`jobs`) or by hand (`cli`: `silta digest`,
`silta report`)."""
