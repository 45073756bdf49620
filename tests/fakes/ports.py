"""A free loopback port for a server a test starts on a number it must know beforehand (a
subprocess's `--port`, a sandbox address given to a config).

A port the kernel handed out with `bind(0)` and released at once is back in the ephemeral
range, where the next `bind(0)` or outgoing connection of any server in the same test may take
it before the test's server listens. Ports below that range are never handed out on their own,
so one that is free now stays free until the test uses it.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def _ephemeral_low() -> int:
    try:
        return int(_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randrange(min(10000, low - 1000), low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port below {low}")
