"""Storage figures on a generated database: batch insert with the search index maintained,
full-text search, and counts by category, on SQLite and on PostgreSQL.

    python bench/store.py                         # 1,000,000 mentions on both backends
    python bench/store.py --count 100000 --backend sqlite

The vocabulary is Zipf-distributed (a few very common words, a long tail), as real text is, so
searches that include a common word cost what they would cost in production.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import db
from bot.models import Mention
from bot.store import mentions, sources
from bot.store.mentions import STOP_WORDS, NewMention, SearchQuery
from bot.taxonomy import CATEGORIES

COMMON = (
    sorted(STOP_WORDS)
    + (
        "acme app account support refund order help issue login error team price plan "
        "feature update service customer please thanks great slow down broken payment "
        "email phone delivery new work job hiring remote tool recommend alternative vs"
    ).split()
)
BATCH = 1000
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=365)


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Real common words first (ranked), then invented words for the long tail."""
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["st", "tr", "ch", "sh"]
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def generate(count: int, seed: int = 7) -> Iterator[list[NewMention]]:
    """Mentions in batches, oldest first, with Zipf-distributed words (s = 1.1)."""
    rng = random.Random(seed)
    words = np.array(vocabulary(50_000, rng))
    ranks = np.arange(1, len(words) + 1)
    weights = 1 / ranks**1.1
    weights /= weights.sum()
    generator = np.random.default_rng(seed)
    step = SPAN / count
    start = END - SPAN
    for first in range(0, count, BATCH):
        size = min(BATCH, count - first)
        lengths = generator.integers(8, 48, size=size)
        drawn = generator.choice(words, size=int(lengths.sum()), p=weights)
        offset = 0
        batch = []
        for i, length in enumerate(lengths):
            body = " ".join(drawn[offset : offset + length])
            offset += length
            number = first + i
            batch.append(
                NewMention(
                    external_id=str(number),
                    text=body,
                    title=body[:60] if number % 3 == 0 else None,
                    published_at=start + step * number,
                    url=f"https://news.example.com/item?id={number}",
                    author=f"user{number % 5000}",
                    engagement=number % 97,
                )
            )
        yield batch


def populate(engine: Engine, count: int) -> float:
    """Insert everything through the product's own insert; returns mentions per second."""
    factory = db.make_session_factory(engine)
    with db.session_scope(factory) as session:
        source_id = sources.get_or_create("bench", "import", session=session).id
    batches = list(generate(count))
    started = time.perf_counter()
    for batch in batches:
        with db.session_scope(factory) as session:
            mentions.insert_many(batch, source_id=source_id, session=session)
    elapsed = time.perf_counter() - started
    with db.session_scope(factory) as session:
        again = mentions.insert_many(batches[-1], source_id=source_id, session=session)
    assert not again, "a repeated batch must add nothing"
    return count / elapsed


def classify_all(engine: Engine) -> None:
    """Give every mention a category and a sentiment, as classification would."""
    factory = db.make_session_factory(engine)
    with db.session_scope(factory) as session:
        for index, category in enumerate(CATEGORIES):
            session.execute(
                update(Mention)
                .where(text(f"mentions.id % {len(CATEGORIES)} = {index}"))
                .values(category=category, sentiment=(index - 2) / 4)
            )
    # What autovacuum does in a running system: without it, every count re-reads old versions.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        )


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) > 1 else samples[0]


def search_p95(engine: Engine, rng: random.Random, rounds: int = 100) -> tuple[float, float]:
    """Two-word queries: a common word and a mid-frequency one, top 20 by recency."""
    common = [w for w in COMMON if w not in STOP_WORDS]
    vocab = vocabulary(50_000, random.Random(7))
    factory = db.make_session_factory(engine)
    samples, hits = [], []
    with factory() as session:
        for _ in range(rounds):
            words = f"{rng.choice(common)} {rng.choice(vocab[100:1000])}"
            started = time.perf_counter()
            found = mentions.search(SearchQuery(words=words, limit=20), session=session)
            samples.append(time.perf_counter() - started)
            hits.append(len(found))
    return p95(samples), statistics.mean(hits)


def counts_p95(engine: Engine, rng: random.Random, rounds: int = 50) -> float:
    factory = db.make_session_factory(engine)
    samples = []
    with factory() as session:
        for _ in range(rounds):
            until = END - timedelta(days=rng.randint(0, 300))
            started = time.perf_counter()
            mentions.count_by_category(until - timedelta(days=7), until, session=session)
            samples.append(time.perf_counter() - started)
    return p95(samples)


def bare_executemany(engine: Engine, count: int) -> float:
    """The ceiling: rows straight into a table with the same search index, nothing else."""
    generated = (m for batch in generate(count, seed=11) for m in batch)
    rows = [{"id": i, "title": m.title, "text": m.text} for i, m in enumerate(generated)]
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("CREATE TABLE bare (id INTEGER PRIMARY KEY, title, text)"))
            connection.execute(
                text(
                    "CREATE VIRTUAL TABLE bare_fts USING fts5(title, text, content='bare', "
                    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER bare_ai AFTER INSERT ON bare BEGIN INSERT INTO "
                    "bare_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE TABLE bare (id bigint PRIMARY KEY, title text, text text, search "
                    "tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') "
                    "|| ' ' || coalesce(text, ''))) STORED)"
                )
            )
            connection.execute(text("CREATE INDEX bare_search ON bare USING gin (search)"))
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO bare (id, title, text) VALUES (:id, :title, :text)"),
                rows[first : first + BATCH],
            )
    return count / (time.perf_counter() - started)


def run(name: str, url: str, count: int) -> dict[str, float]:
    engine = db.make_engine(url)
    db.upgrade(engine)
    print(f"[{name}] inserting {count:,} mentions…", flush=True)
    rate = populate(engine, count)
    classify_all(engine)
    rng = random.Random(3)
    search_ms, mean_hits = search_p95(engine, rng)
    counts_ms = counts_p95(engine, rng)
    bare = bare_executemany(engine, min(count, 100_000))
    engine.dispose()
    figures = {
        "insert_per_s": rate,
        "bare_executemany_per_s": bare,
        "search_p95_ms": search_ms,
        "search_mean_hits": mean_hits,
        "counts_7d_p95_ms": counts_ms,
    }
    print(
        f"[{name}] insert {rate:,.0f} mentions/s (bare executemany into an FTS table: "
        f"{bare:,.0f}/s) · search p95 {search_ms:.1f} ms (mean {mean_hits:.1f} hits of 20) · "
        f"counts by category, 7 days: p95 {counts_ms:.1f} ms",
        flush=True,
    )
    return figures


def postgres_scratch(admin_url: str) -> str:
    admin = db.make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "silta_bench" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "silta_bench"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/silta_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{folder}/bench.db", args.count)
    if args.backend in ("postgresql", "both"):
        run("postgresql", postgres_scratch(args.postgres), args.count)


if __name__ == "__main__":
    main()
