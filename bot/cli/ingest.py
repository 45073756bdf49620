"""`silta ingest`, `sources`, `import`, `export`, `worker` and `serve`: hearing, and showing
what was heard and how well."""

from __future__ import annotations

import os
import re
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from bot.errors import CommandError
from bot.ingest.exporter import export
from bot.ingest.importer import Importer
from bot.ingest.jobs import load_classifier, make_client, poll_jobs
from bot.ingest.poller import Poller
from bot.leader import run_worker, worker_id
from bot.models import utcnow
from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from bot.sources import kind_named, polled
from bot.store import health, sources
from bot.web import run_gunicorn
from bot.wiring import runtime_app, worker_jobs

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_STATUS_STYLE = {"ok": "green", "failing": "bold red", "waiting": "yellow", "new": "cyan"}


def _polled_sources(runtime: Runtime, only: str | None) -> list[Any]:
    workspace = runtime.config.workspace
    if only is None:
        return [s for s in workspace.sources if polled(s)]
    source = workspace.source(only)
    if source is None:
        names = ", ".join(s.name for s in workspace.sources) or "none"
        raise CommandError(f'no source named "{only}" in silta.toml (configured: {names})')
    if kind_named(source.kind).pushed:
        raise CommandError(f'"{only}" is a {source.kind} source: it is pushed to, not polled')
    if not source.enabled:
        raise CommandError(f'"{only}" has enabled = false in silta.toml')
    return [source]


@click.command("ingest")
@click.option("--once", is_flag=True, help="Poll once and exit, instead of polling for ever.")
@click.option("--source", "only", metavar="NAME", help="Only this source.")
@click.pass_obj
def ingest(runtime: Runtime, once: bool, only: str | None) -> None:
    """Poll the sources: a line per source with new, duplicate, skipped, errors and time."""
    chosen = _polled_sources(runtime, only)
    runtime.upgraded_engine()
    if not once:
        jobs = [j for j in poll_jobs(runtime) if only is None or j.id == f"poll:{only}"]
        _run_until_stopped(build_scheduler(jobs))
        return
    failed = 0
    with make_client() as client:
        poller = Poller(
            runtime.config.workspace,
            sessions=runtime.sessions,
            client=client,
            classifier=load_classifier(runtime),
        )
        for source in chosen:
            result = poller.poll(source)
            failed += not result.ok
            click.echo(
                f"{result.source:<20} {result.kind:<13} new {result.new:>5}  "
                f"duplicate {result.duplicate:>5}  skipped {result.skipped:>5}  "
                f"errors {len(result.errors):>2}  {result.seconds:6.1f}s  {result.status}"
            )
            for error in result.errors:
                click.echo(f"  ! {error}", err=True)
    if not chosen:
        click.echo("No sources to poll: add [[sources]] to silta.toml (see `silta init`).")
    if failed:
        sys.exit(1)


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{max(seconds, 0)}s ago"


@click.command("sources")
@click.pass_obj
def sources_command(runtime: Runtime) -> None:
    """Each source's health: status, last poll and success, failures in a row, last error."""
    workspace = runtime.config.workspace
    runtime.upgraded_engine()
    now = utcnow()
    with runtime.sessions() as session:
        lines = health.report(workspace=workspace, session=session, now=now)
    table = Table(title="Sources", title_justify="left")
    for column in ("source", "kind", "status", "last poll", "last success", "fails", "items"):
        table.add_column(column, no_wrap=column != "source")
    table.add_column("last error", overflow="fold")
    for line in lines:
        status = line.status
        if status == "waiting" and line.retry_at is not None:
            status = f"waiting until {line.retry_at:%H:%M} UTC"
        table.add_row(
            line.name,
            line.kind,
            f"[{_STATUS_STYLE.get(line.status, 'dim')}]{status}[/]",
            _when(line.last_poll_at, now),
            _when(line.last_success_at, now),
            str(line.failures),
            str(line.items),
            line.last_error or "",
        )
    Console(width=max(120, Console().width)).print(table)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), help="Default: by suffix.")
@click.option("--source", metavar="NAME", help="Store every line under this source.")
@click.option(
    "--match",
    type=click.Choice(["all", "brand"]),
    default="all",
    show_default=True,
    help="Keep every line, or only those naming the company.",
)
@click.pass_obj
def import_command(
    runtime: Runtime, file: Path, fmt: str | None, source: str | None, match: str
) -> None:
    """Backfill mentions from a JSONL or CSV file (what `silta export` writes, or minimal
    lines with `text`). Importing the same file again adds nothing."""
    if source is not None and not _NAME.match(source):
        raise CommandError(f'"{source}" is not a source name; use lower case, digits, - and _')
    runtime.upgraded_engine()
    importer = Importer(
        runtime.config.workspace,
        sessions=runtime.sessions,
        classifier=load_classifier(runtime),
        source=source,
        match=match,
    )
    with Progress(
        TextColumn("[bold]importing {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(file.name, total=file.stat().st_size)
        summary = importer.run(file, fmt=fmt, advance=lambda n: progress.advance(task, n))
    company = runtime.config.workspace.company.name
    click.echo(
        f"Imported {file.name} in {summary.seconds:.1f}s: {summary.lines} line(s), "
        f"{summary.new} new, {summary.duplicate} duplicate, "
        f"{summary.skipped} skipped (not about {company}), {len(summary.invalid)} invalid."
    )
    if summary.restored:
        click.echo(f"{summary.restored} kept the category they were exported with.")
    for problem in summary.invalid[:20]:
        click.echo(f"  ! {problem}", err=True)
    if len(summary.invalid) > 20:
        click.echo(f"  … and {len(summary.invalid) - 20} more invalid line(s)", err=True)
    if summary.invalid:
        sys.exit(1)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(
            f'--since "{value}" is not a date; use 2026-11-01 or 2026-11-01T09:00:00Z'
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("--since", metavar="DATE", help="Only mentions published at or after DATE (UTC).")
@click.option("--source", metavar="NAME", help="Only this source's mentions.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout."
)
@click.pass_obj
def export_command(
    runtime: Runtime, fmt: str, since: str | None, source: str | None, output: Path | None
) -> None:
    """Write stored mentions as JSONL or CSV, oldest first; `silta import` reads them back."""
    moment = _since(since)
    runtime.upgraded_engine()
    with runtime.sessions() as session:
        if source is not None and sources.get(source, session=session) is None:
            raise CommandError(f'no stored source named "{source}"; see `silta sources`')
        if output is None:
            count = export(sys.stdout, fmt=fmt, session=session, since=moment, source=source)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = export(handle, fmt=fmt, session=session, since=moment, source=source)
    click.echo(f"Exported {count} mention(s){f' to {output}' if output else ''}.", err=True)


def _run_until_stopped(scheduler: Any) -> None:
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    click.echo(f"Running {len(scheduler.get_jobs())} job(s); Ctrl-C stops.", err=True)
    try:
        scheduler.start()
    except KeyboardInterrupt:
        scheduler.shutdown(wait=False)


@click.command("worker")
@click.pass_obj
def worker(runtime: Runtime) -> None:
    """Run the scheduled jobs (each source's polls, and the others' jobs) until stopped.
    Of several workers on one database, one leads and runs the jobs; the others wait."""
    engine = runtime.upgraded_engine()
    run_worker(
        lambda: build_scheduler(worker_jobs(runtime), blocking=False),
        engine=engine,
        sessions=runtime.sessions,
        retry=runtime.settings.leader_retry,
        holder=worker_id(),
    )


@click.command("serve")
@click.option("--host", default="0.0.0.0", show_default=True)  # noqa: S104 (a server)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "8000")),
    show_default="$PORT or 8000",
)
@click.option("--workers", type=int, default=2, show_default=True)
@click.pass_obj
def serve(runtime: Runtime, host: str, port: int, workers: int) -> None:
    """Serve /healthz and the webhook intake under gunicorn."""
    engine = runtime.upgraded_engine()
    app = runtime_app(runtime)
    engine.dispose()
    run_gunicorn(app, bind=f"{host}:{port}", workers=workers)


def register(cli: click.Group) -> None:
    for command in (ingest, sources_command, import_command, export_command, worker, serve):
        cli.add_command(command)
