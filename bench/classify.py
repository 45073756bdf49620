"""Classification throughput on one core, model load time, and the memory of a loaded model.

    python bench/classify.py                                   # the seed corpus' posts
    python bench/classify.py --data ../shared/eval/mentions_dev.jsonl
    python bench/classify.py --stored                          # also through SQLite
    python bench/classify.py --cold                            # only the cold start
    python bench/classify.py --data … --join 4                 # posts 4 times as long
    python bench/classify.py --data … --jsonl                  # also `silta classify` on stdin

Throughput is `classify_posts` in batches of 500, the path ingestion takes (category, scores,
language, sentiment, urgency). `--stored` adds `classify_stored`: reading the mentions, the spike
queries, writing a classification row per mention and updating the mention, one transaction per
batch. Memory is what tracemalloc sees allocated by loading the model and warming up the
language identifier and the sentiment lexicon, and the process' resident set before and after.
Throughput is shown as wall-clock and as CPU time: on a shared machine the second is the fairer
figure for one core.

`--jsonl` pipes the same posts as JSON lines through `silta classify` in a process pinned to one
core: lines a second from the command's start to its last line, as a person running it sees.

The cold start is a fresh Python process that imports the classifier, loads the shipped model
and classifies one English and one Spanish post (so the language identifier, every language's
lexicon and the English sentiment lexicon are loaded too): its seconds from the first import.
Its resident memory is taken after it has also loaded every other language's sentiment lexicon.
The first cold start on a host also unpacks py3langid's model into the cache (see
`bot.classify.language`); the figure shown is a second start, as every later worker sees it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

from bot import db
from bot.classify import language, seed, sentiment, train
from bot.classify.model import Model
from bot.classify.service import MentionClassifier, Post
from bot.store import mentions, sources
from bot.store.mentions import NewMention

BATCH = 500


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def texts(path: Path | None) -> list[str]:
    if path is None:
        return [example.text for example in seed.load()]
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def load() -> MentionClassifier:
    artifact = files(seed.__name__).joinpath(train.SEED_ARTIFACT).read_bytes()
    rss, started = rss_mb(), time.perf_counter()
    tracemalloc.start()
    model = Model.from_bytes(artifact)
    classifier = MentionClassifier(model)
    loaded = time.perf_counter()
    language.warm_up()
    identified = time.perf_counter()
    sentiment.warm_up()
    ready = time.perf_counter()
    traced, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"model {model.version}: artifact {len(artifact) / 2**20:.1f} MB")
    print(f"load: model {loaded - started:.3f} s, language identifier {identified - loaded:.3f} s,")
    print(f"      sentiment lexicon {ready - identified:.3f} s; ready in {ready - started:.3f} s")
    print(f"memory: {traced / 2**20:.1f} MB allocated (tracemalloc), RSS +{rss_mb() - rss:.1f} MB")
    return classifier


COLD = """
import os, time
started = time.perf_counter()
from bot.classify.service import MentionClassifier
classifier = MentionClassifier.offline()
classifier.classify_text("Ugh, the app keeps crashing every time I log in. Any fix?")
classifier.classify_text("Hola, mi pedido no ha llegado todavía y nadie me contesta")
ready = time.perf_counter() - started
from bot.classify import sentiment
sentiment.warm_up()
for text in (  # every other language read, so the resident set holds them all
    "Sovellus kaatuu aina kun kirjaudun sisään", "Appen kraschar när jag loggar in",
    "Die App stürzt beim Anmelden immer ab", "L'application plante quand je me connecte",
    "O aplicativo trava quando faço login", "De app crasht steeds als ik inlog",
    "Appen går ned hver gang jeg logger ind", "Appen krasjer hver gang jeg logger inn",
):
    classifier.classify_text(text)
with open("/proc/self/statm") as statm:
    rss = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
print(f"{ready:.3f} {rss:.1f}")
"""
BARE = (
    "import os; print(int(open('/proc/self/statm').read().split()[1])"
    " * os.sysconf('SC_PAGE_SIZE') / 2**20)"
)


def cold_start() -> None:
    """A fresh process: import, load, classify two posts; seconds, then resident memory once
    a post in every language read is classified."""
    run = [sys.executable, "-c", COLD]
    subprocess.run(run, check=True, capture_output=True)  # fills the language cache if empty
    started = time.perf_counter()
    seconds, rss = subprocess.run(run, check=True, capture_output=True, text=True).stdout.split()
    whole = time.perf_counter() - started
    bare = float(
        subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True).stdout
    )
    print(
        f"cold start: ready to classify in {float(seconds):.2f} s after the first import "
        f"({whole:.2f} s for the whole process, which then loads every other language too); "
        "RSS with every language loaded "
        f"{float(rss):.0f} MB "
        f"(+{float(rss) - bare:.0f} MB over a bare interpreter)"
    )


def throughput(classifier: MentionClassifier, posts: list[Post]) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(posts), BATCH):
        classifier.classify_posts(posts[start : start + BATCH])
    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"classify_posts: {len(posts):,} mentions in {elapsed:.2f} s = "
        f"{len(posts) / elapsed:,.0f}/s ({len(posts) / used:,.0f}/s of CPU time)"
    )


def jsonl(bodies: list[str]) -> None:
    """`silta classify` reading the posts as JSON lines, one core, start to last line."""
    lines = "".join(json.dumps({"text": body}) + "\n" for body in bodies).encode()
    silta = Path(sys.executable).with_name("silta")
    core = {min(os.sched_getaffinity(0))} if hasattr(os, "sched_getaffinity") else None
    started = time.perf_counter()
    out = subprocess.run(
        [str(silta), "classify"],
        input=lines,
        capture_output=True,
        check=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, core)) if core else None,
        env={
            **os.environ,
            "SILTA_CONFIG": "/nonexistent/silta.toml",
            "DATABASE_URL": "sqlite:////nonexistent/silta.db",
        },
    )
    elapsed = time.perf_counter() - started
    answered = out.stdout.count(b"\n")
    print(
        f"silta classify < JSONL: {answered:,} lines in {elapsed:.2f} s = "
        f"{answered / elapsed:,.0f} lines/s (the command's start included)"
    )


def stored(classifier: MentionClassifier, bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/bench.db")
        db.upgrade(engine)
        factory = db.make_session_factory(engine)
        start = datetime(2026, 11, 20, tzinfo=UTC)
        with db.session_scope(factory) as session:
            source = sources.get_or_create("bench", "import", session=session)
            ids = mentions.insert_many(
                [
                    NewMention(str(n), body, start + timedelta(seconds=n))
                    for n, body in enumerate(bodies)
                ],
                source_id=source.id,
                session=session,
            )
        started = time.perf_counter()
        for first in range(0, len(ids), BATCH):
            with db.session_scope(factory) as session:
                classifier.classify_stored(ids[first : first + BATCH], session=session)
        elapsed = time.perf_counter() - started
        engine.dispose()
    print(
        f"classify_stored (SQLite): {len(ids):,} in {elapsed:.2f} s = {len(ids) / elapsed:,.0f}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="JSONL with a text field (default: seed corpus)")
    parser.add_argument("--count", type=int, default=20_000, help="mentions to classify")
    parser.add_argument("--stored", action="store_true", help="also classify_stored on SQLite")
    parser.add_argument("--cold", action="store_true", help="only the cold start")
    parser.add_argument("--join", type=int, default=1, help="join N posts into one (longer)")
    parser.add_argument("--jsonl", action="store_true", help="also `silta classify` on stdin")
    args = parser.parse_args()
    cold_start()
    if args.cold:
        return
    if hasattr(os, "sched_setaffinity"):  # one core, for this process and any thread it starts
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    found = texts(args.data)
    joined = ["\n\n".join(found[i : i + args.join]) for i in range(0, len(found), args.join)]
    bodies = list(itertools.islice(itertools.cycle(joined), args.count))
    average = sum(map(len, bodies)) / len(bodies)
    where = args.data or "the seed corpus"
    print(f"{len(bodies):,} mentions from {where}, {average:.0f} characters on average")
    classifier = load()
    classifier.classify_posts([Post(b) for b in bodies[:BATCH]])  # warm the word caches
    throughput(classifier, [Post(b) for b in bodies])
    if args.jsonl:
        jsonl(bodies)
    if args.stored:
        stored(classifier, bodies)


if __name__ == "__main__":
    main()
