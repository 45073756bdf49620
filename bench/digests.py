"""Digest and weekly report figures on a generated database of a year of mentions: building
one team's digest (queries, story grouping, Block Kit) and the weekly report with its chart.

    python bench/digests.py                               # 1,000,000 mentions, SQLite
    python bench/digests.py --backend postgresql
    python bench/digests.py --count 100000 --keep /tmp/bench.db   # reuse the file next time

The database is built by bench/store.py's `populate` and `classify_all` (Zipf-distributed
text, a mention every ~32 s for a year), then given urgency, reach, a cross-post in every
hundred mentions, a few thousand alerts (acknowledged or not) and corrections.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import END, classify_all, populate

from bot import db
from bot.config import Workspace
from bot.models import Alert, Label, Mention, utcnow
from bot.store.mentions import Arrivals
from digests import periods
from digests.build import build_digest
from digests.render import digest_messages, report_messages
from digests.report import REPORT_SCHEDULE, build_report, chart_png
from tests.builders import FOUR_TEAMS, workspace

SCRATCH = "silta_bench_digests"


def enrich(engine: Engine) -> None:
    """Urgency and reach on every mention, cross-posts, alerts with acknowledgements and
    corrections, as a production database would have them."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE mentions SET urgency = (id % 100) / 100.0, reach = (id * 7919) % 100000, "
                "content_hash = CASE WHEN id % 100 = 1 AND id > 1 THEN "
                "(SELECT m.content_hash FROM mentions m WHERE m.id = mentions.id - 1) "
                "ELSE content_hash END"
            )
        )
        rows = connection.execute(
            select(Mention.id, Mention.published_at).where(Mention.id % 200 == 99)
        ).all()
        connection.execute(
            insert(Alert),
            [
                {
                    "mention_id": mention_id,
                    "user_id": f"U{mention_id % 7:08d}",
                    "status": "sent",
                    "due_at": published,
                    "sent_at": published + timedelta(minutes=1),
                    "created_at": published,
                    "acknowledged_by": f"U{mention_id % 7:08d}" if mention_id % 3 else None,
                    "acknowledged_at": published + timedelta(minutes=mention_id % 180)
                    if mention_id % 3
                    else None,
                }
                for mention_id, published in rows
            ],
        )
        connection.execute(
            insert(Label),
            [
                {
                    "mention_id": mention_id,
                    "category": "noise",
                    "previous_category": "sales_lead",
                    "user_id": "U00000001",
                    "origin": "slack",
                    "created_at": published + timedelta(hours=1),
                }
                for mention_id, published in rows[::2]
            ],
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        )


def timed(run: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """(first, median, worst) in milliseconds; the first run reads cold pages."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples[0], statistics.median(samples), max(samples)


def digest_run(engine: Engine, workspace: Workspace, team: str) -> Callable[[], object]:
    config = workspace.teams[team]
    period = periods.latest_closed(config.schedule, config.timezone, END)
    factory = db.make_session_factory(engine)

    def run() -> object:
        with factory() as session:
            now = utcnow()  # late finds are looked for, as the worker looks (none are stored)
            built = build_digest(
                team, period, workspace=workspace, session=session, arrivals=Arrivals(now, now)
            )
            return digest_messages(built)

    return run


def report_run(engine: Engine, workspace: Workspace) -> Callable[[], object]:
    period = periods.latest_closed(REPORT_SCHEDULE, "UTC", END)
    factory = db.make_session_factory(engine)

    def run() -> object:
        with factory() as session:
            built = build_report("marketing", period, workspace=workspace, session=session)
        return report_messages(built), chart_png(built)

    return run


def run(name: str, url: str, count: int, fresh: bool) -> None:
    engine = db.make_engine(url)
    db.upgrade(engine)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Mention)).scalar() or 0
    if fresh or stored != count:
        print(f"[{name}] inserting {count:,} mentions…", flush=True)
        populate(engine, count)
        classify_all(engine)
        enrich(engine)
    configured = workspace(FOUR_TEAMS)
    for team in ("support", "sales", "product"):
        config = configured.teams[team]
        period = periods.latest_closed(config.schedule, config.timezone, END)
        first, median, worst = timed(digest_run(engine, configured, team), 20)
        print(
            f"[{name}] digest {team:<8} {period.label():<52} first {first:6.1f} ms · "
            f"median {median:6.1f} ms · worst {worst:6.1f} ms",
            flush=True,
        )
    first, median, worst = timed(report_run(engine, configured), 5)
    print(
        f"[{name}] weekly report with chart: first {first:6.0f} ms · median {median:6.0f} ms · "
        f"worst {worst:6.0f} ms",
        flush=True,
    )
    engine.dispose()


def postgres_scratch(admin_url: str) -> str:
    """A database of its own, so this bench never drops the one bench/store.py uses."""
    admin = db.make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    admin.dispose()
    return make_url(admin_url).set(database=SCRATCH).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", type=Path, help="SQLite file to build once and reuse.")
    args = parser.parse_args()
    if args.backend == "postgresql":
        run("postgresql", postgres_scratch(args.postgres), args.count, fresh=True)
    elif args.keep:
        run("sqlite", f"sqlite:///{args.keep}", args.count, fresh=not args.keep.exists())
    else:
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{folder}/bench.db", args.count, fresh=True)


if __name__ == "__main__":
    main()
