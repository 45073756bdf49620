"""`silta ingest`, `sources`, `import`, `export`, `worker` and `serve` as a person runs them.

Most take the `classifier=None` path (`load_classifier` patched to None) to test ingestion
alone; `test_every_polled_mention_is_classified_as_it_is_stored` runs the real wiring.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import cli
from bot.models import Classification, Mention
from bot.runtime import Runtime
from tests.fakes.apis import T0, HackerNewsAPI, hn_hit
from tests.fakes.ports import free_port
from tests.fakes.sources import FakeSources, Reply, fake_sources

ROOT = Path(__file__).resolve().parents[3]
CONFIG = """
[company]
name = "Acme"
terms = ["Acme"]

[[sources]]
name = "hn"
kind = "hackernews"
query = "acme"
base_url = "{url}"

[[sources]]
name = "down"
kind = "hackernews"
query = "acme"
base_url = "{url}/moved"

[[sources]]
name = "hook"
kind = "webhook"
secret = "env:HOOK_SECRET"
"""


@pytest.fixture
def server():
    with fake_sources() as fake:
        api = HackerNewsAPI([hn_hit(n, f"Acme {n}", T0 + n) for n in range(1, 4)])
        api.add(hn_hit(9, "unrelated", T0 + 9))
        fake.handle("/api/v1/search_by_date", api)
        yield fake


@pytest.fixture
def env(tmp_path, server, monkeypatch):
    config = tmp_path / "silta.toml"
    config.write_text(CONFIG.format(url=server.url))
    monkeypatch.chdir(tmp_path)
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'silta.db'}",
        "SILTA_CONFIG": str(config),
        "HOOK_SECRET": "s3cret",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def run(env, monkeypatch):
    monkeypatch.setattr("bot.cli.ingest.load_classifier", lambda runtime: None)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def test_ingest_once_prints_a_line_per_source_and_fails_loudly_for_a_dead_one(run):
    result = run("ingest", "--once")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split()[:8] == [
        "hn",
        "hackernews",
        "new",
        "3",
        "duplicate",
        "0",
        "skipped",
        "1",
    ]
    assert lines[0].split()[-1] == "ok"
    assert lines[1].split()[0] == "down" and lines[1].split()[-1] == "failed"
    assert "! down: 127.0.0.1" in result.stderr
    assert "/moved/api/v1/search_by_date does not exist (HTTP 404)" in result.stderr


def test_ingest_once_for_one_source(run):
    result = run("ingest", "--once", "--source", "hn")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1
    again = run("ingest", "--once", "--source", "hn")
    assert again.stdout.split()[3] == "0"


def test_ingest_names_a_wrong_source(run):
    result = run("ingest", "--once", "--source", "nope")
    assert result.exit_code == 1
    assert 'no source named "nope" in silta.toml (configured: hn, down, hook)' in result.stderr
    pushed = run("ingest", "--once", "--source", "hook")
    assert "pushed to, not polled" in pushed.stderr


def test_sources_shows_health_with_a_status_word(run):
    run("ingest", "--once")
    result = run("sources")
    assert result.exit_code == 0
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "ok" in rows["hn"] and "never" not in rows["hn"].split("│")[4]
    assert "failing" in rows["down"] and "HTTP 404" in result.stdout
    assert "new" in rows["hook"] and "never" in rows["hook"]


def test_export_then_import_round_trip(run, tmp_path):
    run("ingest", "--once", "--source", "hn")
    exported = run("export", "--format", "jsonl", "--output", str(tmp_path / "out.jsonl"))
    assert exported.exit_code == 0
    assert "Exported 3 mention(s)" in exported.stderr
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [line["external_id"] for line in lines] == ["1", "2", "3"]
    again = run("import", str(tmp_path / "out.jsonl"))
    assert again.exit_code == 0
    assert "3 line(s), 0 new, 3 duplicate, 0 skipped (not about Acme), 0 invalid" in again.stdout
    csv_out = run("export", "--format", "csv", "--since", "2020-01-01", "--source", "hn")
    assert csv_out.stdout.splitlines()[0].startswith("source,kind,external_id,url")


def test_import_reports_bad_lines_with_numbers_and_exit_1(run, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Acme is great"}\n{"nope": 1}\n')
    result = run("import", str(path), "--source", "backfill")
    assert result.exit_code == 1
    assert "2 line(s), 1 new" in result.stdout
    assert "! line 2: text: missing" in result.stderr


def test_export_names_an_unknown_source_and_a_bad_date(run):
    assert 'no stored source named "x"' in run("export", "--source", "x").stderr
    assert '--since "last week" is not a date' in run("export", "--since", "last week").stderr


def test_worker_jobs_poll_each_source_on_its_interval(env, monkeypatch):
    from bot.runtime import Runtime
    from bot.wiring import worker_jobs

    monkeypatch.setattr("bot.ingest.jobs.load_classifier", lambda runtime: None)
    runtime = Runtime(env)
    runtime.upgraded_engine()
    jobs = {job.id: job for job in worker_jobs(runtime)}
    assert set(jobs) >= {"poll:hn", "poll:down"}
    assert "poll:hook" not in jobs
    assert jobs["poll:hn"].misfire_grace_time == 150
    jobs["poll:hn"].func()
    with runtime.sessions() as session:
        from bot.store import mentions

        assert mentions.count(session=session) == 3


def test_every_polled_mention_is_classified_as_it_is_stored(env):
    result = CliRunner().invoke(cli, ["ingest", "--once", "--source", "hn"], env=env)
    assert result.exit_code == 0, result.output
    runtime = Runtime(env)
    with runtime.sessions() as session:
        stored = session.scalars(select(Mention)).all()
        history = session.scalars(select(Classification)).all()
    assert stored
    assert all(m.category and m.classified_at for m in stored)
    assert {c.mention_id for c in history} == {m.id for m in stored}
    assert all(c.model_version.startswith("seed-") for c in history)


def test_the_worker_retrains_on_its_schedule_from_corrections(env, monkeypatch):
    from bot.store import classifier_models, labels
    from bot.wiring import worker_jobs

    monkeypatch.setattr("bot.ingest.jobs.load_classifier", lambda runtime: None)
    runtime = Runtime(env)
    runtime.upgraded_engine()
    jobs = {job.id: job for job in worker_jobs(runtime)}
    jobs["poll:hn"].func()
    with runtime.sessions.begin() as session:
        mention = session.scalars(select(Mention)).first()
        labels.create(mention, "sales_lead", user_id="U1", session=session)
    jobs["classify:retrain"].func()
    with runtime.sessions() as session:
        active = classifier_models.get_active(session=session)
    assert active is not None
    assert active.trained_on == 1


def _spawn(env, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_serve_runs_under_gunicorn_with_healthz_and_the_webhook(env):
    port = free_port()
    process = _spawn(env, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1")
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        assert health.json() == {"status": "ok"}
        refused = httpx.post(f"http://127.0.0.1:{port}/ingest/hook", json={"text": "Acme"})
        assert refused.status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0].decode()
    assert "Booting worker" in output or "Listening at" in output


def test_worker_starts_and_stops_cleanly_on_sigterm(env):
    process = _spawn({**env, "LOG_LEVEL": "INFO"}, "worker")
    seen = []
    try:
        for line in process.stdout:
            seen.append(line.decode())
            if " leads: running " in seen[-1]:
                break
        assert process.poll() is None, "".join(seen)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    assert process.returncode == 0, "".join(seen)


def test_fake_sources_serve_what_they_are_told(server: FakeSources):
    server.add("/x", Reply(201, {"ok": True}))
    assert httpx.get(f"{server.url}/x").status_code == 201


def test_the_classifier_is_loaded_again_only_when_another_model_is_activated(env, monkeypatch):
    from bot.ingest.jobs import classifier_provider
    from bot.store import classifier_models

    loads = []
    monkeypatch.setattr(
        "bot.ingest.jobs.load_classifier", lambda runtime: loads.append(1) or object()
    )
    runtime = Runtime(env)
    runtime.upgraded_engine()
    provider = classifier_provider(runtime)
    first = provider()
    assert provider() is first
    with runtime.sessions.begin() as session:
        classifier_models.create("v2", b"", session=session, trained_on=1, labels_count=1)
    assert provider() is not first
    assert len(loads) == 2
