"""Local stand-ins for what cannot run here: Slack's Web API and the public sources, served over
real HTTP on loopback."""
