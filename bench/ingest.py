"""Ingestion figures: poll → parse → normalise → match → dedup → store, from a local server.

    python bench/ingest.py                      # 100,000 mentions into a fresh SQLite file
    python bench/ingest.py --count 20000

A fake Hacker News (Algolia `search_by_date`, 1,000 hits a page and its 1,000-hit cap) runs in
another process on another core; the poller runs pinned to one core, as `silta worker` would,
storing into SQLite with the full-text index maintained. Memory is the poller process's
resident set, sampled while it runs: it must stay flat however many items go through.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import event, func, select

from bot import db
from bot.ingest.poller import Poller
from bot.models import Mention
from bot.sources import source_config
from bot.store import sources
from tests.builders import workspace

T0 = 1_780_000_000
WORDS = "billing login refund dashboard export invoice latency mobile pricing support".split()


def hit(number: int) -> dict[str, object]:
    """Item `number`; one in twenty does not name the company and must be skipped."""
    brand = "Acme" if number % 20 else "Globex"
    word = WORDS[number % len(WORDS)]
    return {
        "objectID": str(number),
        "created_at_i": T0 + number,
        "author": f"user{number % 5000}",
        "comment_text": (
            f"<p>{brand}&#x27;s {word} broke again &amp; again, item {number}.</p>"
            f'<p>See <a href="https://example.com/{number}">https://example.com/{number}</a></p>'
        ),
        "story_id": number // 50,
        "story_title": f"Ask HN: {word}?",
        "points": None,
        "num_comments": None,
    }


def serve(count: int, port: multiprocessing.Value) -> None:  # type: ignore[valid-type]
    if hasattr(os, "sched_setaffinity") and os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
            low, high = 0, count - 1
            for clause in filter(None, query.get("numericFilters", "").split(",")):
                value = int(clause.split("=")[-1].lstrip("<>")) - T0
                if ">=" in clause:
                    low = max(low, value)
                elif "<=" in clause:
                    high = min(high, value)
            per_page, page = int(query.get("hitsPerPage", 100)), int(query.get("page", 0))
            total = max(0, high - low + 1)
            first = high - page * per_page
            numbers = range(first, max(low, first - per_page + 1) - 1, -1)
            body = json.dumps(
                {
                    "hits": [hit(n) for n in numbers if low <= n <= high],
                    "nbHits": total,
                    "page": page,
                    "hitsPerPage": per_page,
                    "nbPages": min(-(-total // per_page), 1000 // per_page),
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port.value = server.server_address[1]
    server.serve_forever()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.samples.append((time.perf_counter(), rss_mb()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument(
        "--sqlite-cache-mb",
        type=int,
        help="Override bot.db's SQLite page cache (8 MB) to tell its growth from a leak.",
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})

    port = multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=serve, args=(args.count, port), daemon=True)
    server.start()
    while not port.value:
        time.sleep(0.01)

    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/bench.db")
        if args.sqlite_cache_mb is not None:
            pragma = f"PRAGMA cache_size=-{args.sqlite_cache_mb * 1024}"
            event.listen(engine, "connect", lambda dbapi, _: dbapi.execute(pragma))
        db.upgrade(engine)
        sessions = db.make_session_factory(engine)
        source = source_config(
            name="hn", kind="hackernews", query="acme", base_url=f"http://127.0.0.1:{port.value}"
        )
        watched = workspace(sources=[source])
        with sessions.begin() as session:
            sources.get_or_create("hn", "hackernews", session=session).cursor = {"since": T0}
        pages = args.count // 100 + 20
        sampler = Sampler()
        with httpx.Client() as client:
            poller = Poller(watched, sessions=sessions, client=client, max_pages=pages)
            start_mb = rss_mb()
            sampler.start()
            started = time.perf_counter()
            result = poller.poll(source)
            elapsed = time.perf_counter() - started
            sampler.stop.set()
            sampler.join()
        with sessions() as session:
            stored = session.scalar(select(func.count()).select_from(Mention))
        engine.dispose()
    server.terminate()

    if result.errors:
        raise SystemExit(f"the poll failed: {result.errors}")
    seen = result.new + result.duplicate + result.skipped
    warm = [mb for at, mb in sampler.samples if at - started > elapsed * 0.1] or [rss_mb()]
    cache = f"{args.sqlite_cache_mb} MB" if args.sqlite_cache_mb is not None else "8 MB (bot.db)"
    report = [
        f"items polled   {seen:>9,} ({result.new:,} stored, {result.skipped:,} skipped, "
        f"{result.duplicate:,} duplicate); {stored:,} rows in SQLite",
        f"time           {elapsed:>9.1f} s on one core",
        f"throughput     {seen / elapsed:>9,.0f} mentions/s ({result.new / elapsed:,.0f} stored/s)",
        f"memory (RSS)   {start_mb:>9.1f} MB before; {min(warm):.1f} to {max(warm):.1f} MB after "
        f"warm-up, a range of {max(warm) - min(warm):.1f} MB (SQLite page cache: {cache})",
    ]
    print("\n".join(report))


if __name__ == "__main__":
    main()
