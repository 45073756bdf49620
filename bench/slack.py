"""Slack figures on a generated database: `/silta search` through the served app, and the time
from storing an urgent mention to its DM, on SQLite and on PostgreSQL.

    python bench/slack.py                          # 1,000,000 mentions on both backends
    python bench/slack.py --count 100000 --backend sqlite
    python bench/slack.py --keep /tmp/silta-bench  # keep (and reuse) the SQLite file

Everything goes over real HTTP on loopback: `silta serve` (gunicorn, 2 workers) receives signed
slash commands and answers through the response URL of the fake Slack; `silta worker` runs the
alert job and DMs through the fake Slack's `conversations.open` and `chat.postMessage`. "Ack" is
the HTTP answer to the command; "answer" is the search results arriving at the response URL,
both measured from the moment the request was sent.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import COMMON, classify_all, p95, populate, postgres_scratch, vocabulary
from bot import db
from bot.models import Mention, Subscription
from bot.sandbox import Sandbox
from bot.store import mentions, sources
from bot.store.mentions import STOP_WORDS, NewMention
from tests.builders import workspace_file
from tests.fakes.ports import free_port
from tests.slack import SECRET, command_body, sign

TEAMS = {
    "support": {"channel": "#support", "categories": ["support_issue"]},
    "sales": {"channel": "#sales", "categories": ["sales_lead"]},
}
ALERTS = {"urgency_threshold": 0.7, "cooldown": "1s"}


def prepare(url: str, count: int) -> Engine:
    """The database with `count` classified mentions; reused when it already has them."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Mention)) or 0
    if stored < count:
        print(f"  inserting {count:,} mentions…", flush=True)
        populate(engine, count)
        classify_all(engine)
    return engine


@contextmanager
def silta(args: list[str], env: dict[str, str], ready: str, log: Path) -> Iterator[None]:
    with log.open("w+") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while ready not in log.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"silta {args[0]} did not start:\n{log.read_text()}")
                time.sleep(0.1)
            yield
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(15)


def environment(url: str, slack: Sandbox, folder: Path) -> dict[str, str]:
    workspace_file(folder / "silta.toml", teams=TEAMS, alerts=ALERTS, sources=[])
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SILTA_"))}
    return {
        **keep,
        "DATABASE_URL": url,
        "SILTA_CONFIG": str(folder / "silta.toml"),
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "LOG_LEVEL": "WARNING",
    }


def search_figures(base: str, slack: Sandbox, rounds: int) -> tuple[float, float, float]:
    """(ack p95 ms, ack + answer p95 ms, mean results shown) over `rounds` two-word searches."""
    rng = random.Random(5)
    common = [w for w in COMMON if w not in STOP_WORDS]
    vocab = vocabulary(50_000, random.Random(7))
    acks, answers, shown = [], [], []
    with httpx.Client(timeout=10) as http:
        for i in range(rounds + 5):
            words = f"{rng.choice(common)} {rng.choice(vocab[100:1000])}"
            body = command_body(f"search {words}", response_url=slack.response_url(f"b{i}"))
            started = time.monotonic()
            reply = http.post(
                f"{base}/slack/events",
                content=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    **sign(body),
                },
            )
            acked = time.monotonic()
            assert reply.status_code == 200, reply.text
            (answer,) = slack.wait_for("respond", path=f"/respond/b{i}", timeout=30)
            if i < 5:
                continue  # warm-up: first connections, caches
            acks.append(acked - started)
            answers.append(max(acked, answer.at) - started)
            shown.append(str(answer.params).count("mention_move"))
    return p95(acks), p95(answers), sum(shown) / len(shown)


def dm_latency(engine: Engine, slack: Sandbox, rounds: int) -> tuple[float, float]:
    """(median, max) seconds from committing an urgent mention to its DM at the fake Slack."""
    factory = db.make_session_factory(engine)
    samples = []
    for i in range(rounds):
        before = len(slack.calls_to("chat.postMessage"))
        with db.session_scope(factory) as session:
            source_id = sources.get_or_create("bench-urgent", "import", session=session).id
            new = NewMention(
                external_id=f"urgent-{time.time_ns()}",
                text=f"Acme is down, checkout broken (round {i})",
                published_at=datetime.now(UTC),
            )
            (mention_id,) = mentions.insert_many([new], source_id=source_id, session=session)
            mention = session.get(Mention, mention_id)
            assert mention is not None
            mention.category, mention.urgency, mention.sentiment = "support_issue", 0.95, -0.8
        stored = time.monotonic()
        (*_, dm) = slack.wait_for("chat.postMessage", before + 1, timeout=30)
        samples.append(dm.at - stored)
        time.sleep(1.2)  # past the 1 s cooldown, so the next round is not deferred
    samples.sort()
    return samples[len(samples) // 2], samples[-1]


def run(name: str, url: str, count: int, rounds: int, folder: Path) -> None:
    print(f"[{name}] {count:,} mentions", flush=True)
    engine = prepare(url, count)
    with db.session_scope(db.make_session_factory(engine)) as session:
        if not session.scalar(select(Subscription).where(Subscription.user_id == "U0BENCH")):
            session.add(Subscription(user_id="U0BENCH", kind="urgent", value=""))
    with Sandbox() as slack:
        slack.add_channel("C0SUPPORT", "support")
        slack.add_channel("C0SALES", "sales")
        env = environment(url, slack, folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
        with silta(serve, env, "Booting worker", folder / "serve.log"):
            time.sleep(1)
            ack, answer, shown = search_figures(base, slack, rounds)
        print(
            f"[{name}] /silta search: ack p95 {ack:.0f} ms · ack + answer p95 "
            f"{answer:.0f} ms ({rounds} searches, {shown:.1f} results shown on average)",
            flush=True,
        )
        worker_env = {**env, "LOG_LEVEL": "INFO"}
        with silta(["worker"], worker_env, "leads: running", folder / "worker.log"):
            time.sleep(3)
            median, worst = dm_latency(engine, slack, 10)
        print(
            f"[{name}] urgent mention stored → DM: median {median:.2f} s, max {worst:.2f} s "
            "(10 mentions)",
            flush=True,
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", type=Path, help="Folder for the SQLite file, kept and reused.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.backend in ("sqlite", "both"):
            run("sqlite", f"sqlite:///{folder / 'bench.db'}", args.count, args.rounds, folder)
        if args.backend in ("postgresql", "both"):
            url = postgres_scratch(args.postgres)
            run("postgresql", url, args.count, args.rounds, folder)


if __name__ == "__main__":
    main()
