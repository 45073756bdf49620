"""`silta classify`, `eval`, `train`, `label` and `reclassify`: the classifier from a terminal.

`classify` and `eval` need neither a workspace file nor a database: without them they use the
shipped seed model and no company context, so anyone can measure Silta on their own data.
"""

from __future__ import annotations

import difflib
import getpass
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.classify import evaluate, train
from bot.classify.evaluate import Report, Routing
from bot.classify.model import Model
from bot.classify.service import MentionClassifier, Post
from bot.config import Workspace
from bot.db import session_scope
from bot.errors import CommandError, ConfigError, DatabaseError
from bot.runtime import Runtime
from bot.store import classifications, classifier_models, labels, mentions
from bot.taxonomy import CATEGORIES, UNSURE_BELOW

BATCH = 500


@click.command("classify")
@click.argument("text", required=False)
@click.option("--title", help="The post's title, when it has one.")
@click.option("--reach", type=click.IntRange(min=0), help="The author's followers.")
@click.option(
    "--explain",
    is_flag=True,
    help="Give each line read from stdin its evidence too (a TEXT always has it); slower.",
)
@click.pass_obj
def classify_command(
    runtime: Runtime, text: str | None, title: str | None, reach: int | None, explain: bool
) -> None:
    """Classify TEXT, or JSON lines with a "text" field on stdin; print JSON.

    Uses the database's active model when there is one, else the shipped seed model. Lines
    from stdin are classified as ingestion classifies them, hundreds at a time, without the
    evidence unless --explain asks for it.
    """
    classifier = MentionClassifier.offline(_workspace(runtime), model=_stored_model(runtime))
    if text is not None:
        click.echo(classifier.classify_text(text, title=title, reach=reach).to_json())
        return
    for batch in _batches(_posts(sys.stdin)):
        click.echo(
            "\n".join(r.to_json() for r in classifier.classify_posts(batch, explain=explain))
        )


def _posts(stream: TextIO) -> Iterator[Post]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f'stdin line {number}: not JSON ({exc.msg}); send {{"text": …}}'
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise CommandError(f'stdin line {number}: needs a "text" string')
        reach = data.get("reach")
        yield Post(
            data["text"],
            title=data.get("title") if isinstance(data.get("title"), str) else None,
            reach=reach if isinstance(reach, int) else None,
        )


def _batches(posts: Iterator[Post]) -> Iterator[list[Post]]:
    batch: list[Post] = []
    for post in posts:
        batch.append(post)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@click.command("eval")
@click.option(
    "--data",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL with a text and a label per line.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--learn",
    type=click.IntRange(min=1),
    help="Simulate N corrections: retrain on N random rows, test on the rest.",
)
@click.option("--seed", default=0, show_default=True, help="Which N rows --learn takes.")
@click.option("--active", is_flag=True, help="Measure the database's active model, not the seed.")
@click.pass_obj
def eval_command(
    runtime: Runtime, path: Path, as_json: bool, learn: int | None, seed: int, active: bool
) -> None:
    """Per-class precision, recall and F1, macro-F1 and the confusion matrix on labelled data."""
    rows = evaluate.read(path)
    workspace = _workspace(runtime)
    threshold = workspace.classifier.threshold if workspace else UNSURE_BELOW
    if learn:
        report = evaluate.learn(rows, learn, seed=seed, threshold=threshold, data=str(path))
    else:
        stored = _stored_model(runtime) if active else None
        if active and stored is None:
            raise CommandError("there is no active model in the database; run `silta train`")
        report = evaluate.measure(
            MentionClassifier(stored or train.seed_model()),
            rows,
            threshold=threshold,
            data=str(path),
        )
    if as_json:
        click.echo(report.to_json())
    else:
        _show(report)


def _show(report: Report) -> None:
    console = Console()
    console.width = max(console.width, 110)  # the confusion matrix needs its category names
    learned = f", after {report.learned} corrections (seed {report.seed})" if report.learned else ""
    table = Table(
        title=f"{report.data}: {report.tested} rows, model {report.model_version}{learned}"
    )
    for column in ("category", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for label, score in report.per_class.items():
        table.add_row(
            label,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.support),
        )
    table.add_section()
    table.add_row("macro-F1", "", "", f"{report.macro_f1:.3f}", str(report.tested))
    console.print(table)
    matrix = Table(title="confusion (rows: true, columns: predicted)")
    matrix.add_column("")
    for label in report.confusion_labels:
        matrix.add_column(label, justify="right")
    for label, counts in zip(report.confusion_labels, report.confusion, strict=True):
        matrix.add_row(label, *(str(n) for n in counts))
    console.print(matrix)
    if report.by_language:
        console.print(
            "macro-F1 by language: "
            + ", ".join(f"{lang} {f1:.3f}" for lang, f1 in report.by_language.items())
        )
    _show_routing(console, report.routing)


def _show_routing(console: Console, routing: Routing) -> None:
    """What people see at the threshold, in the words of the README."""
    table = Table(title=f"where mentions go at classifier.threshold {routing.threshold:g}")
    table.add_column("outcome")
    table.add_column("share", justify="right")
    table.add_column("of")
    of_actionable = f"the {routing.actionable} actionable mentions (all but noise)"
    for outcome, share, whole in (
        ("routed to the right team", routing.right_team, of_actionable),
        ("sent to a wrong team", routing.wrong_team, of_actionable),
        ("silently dropped as confident noise", routing.dropped, of_actionable),
        ("left to triage (unsure)", routing.triage, "all mentions"),
        ("noise sent to a team", routing.noise_to_team, "the noise mentions"),
    ):
        table.add_row(outcome, f"{share:.1%}", whole)
    console.print(table)


@click.command("train")
@click.pass_obj
def train_command(runtime: Runtime) -> None:
    """Fold every correction into a new model version and make it active."""
    runtime.upgraded_engine()
    with session_scope(runtime.sessions) as session:
        built = train.retrain(session=session, workspace=_workspace(runtime))
        if built is None:
            active = classifier_models.get_active(session=session)
            now = active.version if active else train.seed_version()
            click.echo(f"Nothing new to learn: {now} already knows every correction.")
            return
        click.echo(
            f"Trained {built.version} on the seed corpus and {built.trained_on} correction(s); "
            "it is now active."
        )


@click.command("label")
@click.argument("mention_id", type=int)
@click.argument("category")
@click.option("--user", help="Who made the correction (default: $USER).")
@click.pass_obj
def label_command(runtime: Runtime, mention_id: int, category: str, user: str | None) -> None:
    """Correct MENTION_ID's category to CATEGORY; `silta train` learns from it."""
    category = _category(category)
    runtime.upgraded_engine()
    with session_scope(runtime.sessions) as session:
        mention = mentions.get(mention_id, session=session)
        if mention is None:
            raise CommandError(
                f"no mention has id {mention_id}; use the id shown next to a mention in Slack"
            )
        label = labels.create(mention, category, user_id=user or _user(runtime), session=session)
        was = label.previous_category or "unclassified"
        click.echo(
            f"Mention {mention_id} is now {category} (was {was}); "
            "`silta train` folds the correction into the model."
        )


def _category(given: str) -> str:
    if given in CATEGORIES:
        return given
    close = difflib.get_close_matches(given.lower(), CATEGORIES, n=1, cutoff=0.4)
    close = close or [c for c in CATEGORIES if c.startswith(given.lower()[:3])]
    hint = f'did you mean "{close[0]}"?' if close else f"use one of {', '.join(CATEGORIES)}"
    raise CommandError(f'"{given}" is not a category; {hint}')


def _user(runtime: Runtime) -> str:
    return runtime.environ.get("USER") or getpass.getuser() or "cli"


@click.command("reclassify")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    help="Only mentions published since this date (UTC).",
)
@click.pass_obj
def reclassify_command(runtime: Runtime, since: datetime | None) -> None:
    """Apply the current model to stored mentions again."""
    runtime.upgraded_engine()
    start = since.replace(tzinfo=UTC) if since else None
    with session_scope(runtime.sessions) as session:
        ids = classifications.mention_ids(session=session, since=start)
        classifier = MentionClassifier.load(session=session, workspace=_workspace(runtime))
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(f"Reclassifying with {classifier.version}", total=len(ids))
        for start_at in range(0, len(ids), BATCH):
            chunk = ids[start_at : start_at + BATCH]
            with session_scope(runtime.sessions) as session:
                classifier.classify_stored(chunk, session=session)
            progress.advance(task, len(chunk))
    click.echo(f"Reclassified {len(ids)} mention(s) with {classifier.version}.")


def _workspace(runtime: Runtime) -> Workspace | None:
    """The workspace when silta.toml exists; None without one. An invalid file is an error."""
    if not Path(runtime.settings.config_path).exists():
        return None
    return runtime.config.workspace


def _stored_model(runtime: Runtime) -> Model | None:
    """The database's active model, or None when there is no database or no model in it."""
    try:
        url = runtime.engine.url if _database_exists(runtime) else None
        if url is None:
            return None
        with session_scope(runtime.sessions) as session:
            stored = classifier_models.get_active(session=session)
            return Model.from_bytes(stored.artifact) if stored else None
    except (DatabaseError, ConfigError, SQLAlchemyError):
        return None


def _database_exists(runtime: Runtime) -> bool:
    """True unless the database is an SQLite file that is not there (connecting would create it)."""
    url = runtime.settings.database_url
    if not url.startswith("sqlite"):
        return True
    database = make_url(url).database
    if not database or database == ":memory:":
        return False
    return Path(database).exists()


def register(cli: click.Group) -> None:
    """Add this module's commands to `silta`."""
    for command in (
        classify_command,
        eval_command,
        train_command,
        label_command,
        reclassify_command,
    ):
        cli.add_command(command)
