"""How long `silta demo` takes to show its first digest, measured as someone would see it.

    python bench/demo.py                 # installed: start → first digest in #support
    python bench/demo.py --runs 5        # the median and worst of five
    python bench/demo.py --from-scratch  # README's first command in a fresh copy, with install

Each run starts `silta demo --no-browser --dir <tmp> --port <free>` as a subprocess (a fresh
demo directory every time) and polls the sandbox's Web API — `conversations.history` on
#support, over HTTP with the token the demo keeps in its directory — until the first message
marked as a digest is there; the figure is the wall time from starting the process to seeing
it. The process is then stopped with SIGTERM and must exit 0.

`--from-scratch` times what the README promises for a fresh clone: it copies the work tree
(the files git tracks or would track; no .venv, no caches of the project) into a temporary
folder and runs there, as one timed shell command,

    python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/silta demo --no-browser …

until the first digest is in #support. pip's own download cache (~/.cache/pip) is used as on
any machine that installed Python packages before; add `--no-pip-cache` to time a cold one.
To time it by hand from a real clone: `git clone <repo> silta && cd silta && time (python3 -m
venv .venv && .venv/bin/pip install -e . && .venv/bin/silta demo)` and watch the browser.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 600.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_digest(port: int, directory: Path, process: subprocess.Popen[bytes]) -> float:
    """Seconds (monotonic) at which #support first holds a digest."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the demo exited early with {process.returncode}")
        try:
            token = (directory / "token").read_text().strip()
            answer = httpx.post(
                f"http://127.0.0.1:{port}/api/conversations.history",
                data={"channel": "#support", "limit": 100},
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            ).json()
        except (OSError, httpx.HTTPError, ValueError):
            answer = {}
        for message in answer.get("messages", []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == "silta_digest":
                return time.monotonic()
        time.sleep(0.05)
    raise SystemExit(f"no digest in #support within {TIMEOUT:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def installed_run(scratch: Path) -> float:
    directory, port = scratch / "demo", free_port()
    command = [sys.executable, "-m", "bot", "demo", "--no-browser"]
    command += ["--dir", str(directory), "--port", str(port)]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        seen = first_digest(port, directory, process)
    finally:
        code = stop(process)
    if code != 0:
        raise SystemExit(f"the demo exited with {code} on SIGTERM")
    return seen - started


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def scratch_run(scratch: Path, *, pip_cache: bool) -> float:
    copy = scratch / "silta"
    for name in tracked_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    port = free_port()
    directory = copy / "silta-demo"
    command = (
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && "
        f"exec .venv/bin/silta demo --no-browser --port {port}"
    )
    env = dict(os.environ)
    if not pip_cache:
        env["PIP_NO_CACHE_DIR"] = "1"
    started = time.monotonic()
    process = subprocess.Popen(
        ["bash", "-c", command], cwd=copy, env=env, stdout=subprocess.DEVNULL
    )
    try:
        seen = first_digest(port, directory, process)
    finally:
        stop(process)
    return seen - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--from-scratch", action="store_true")
    parser.add_argument("--no-pip-cache", action="store_true")
    args = parser.parse_args()
    figures = []
    for run in range(1 if args.from_scratch else args.runs):
        with tempfile.TemporaryDirectory(prefix="silta-bench-demo-") as scratch:
            if args.from_scratch:
                seconds = scratch_run(Path(scratch), pip_cache=not args.no_pip_cache)
            else:
                seconds = installed_run(Path(scratch))
        figures.append(seconds)
        print(f"run {run + 1}: first digest in #support after {seconds:.1f} s", flush=True)
    what = "fresh copy, install included" if args.from_scratch else "already installed"
    print(
        f"silta demo, {what}: first digest after {statistics.median(figures):.1f} s "
        f"(median of {len(figures)}), worst {max(figures):.1f} s"
    )


if __name__ == "__main__":
    main()
