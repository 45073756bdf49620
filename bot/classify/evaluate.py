"""Measuring the classifier on labelled posts, and the learning curve users will live through.

`measure` scores whatever classifier it is given, through the same path mentions take, and says
what people would see at the workspace's threshold (`Routing`): macro-F1 counts argmax guesses,
but a team only receives a mention the model is sure of; the rest wait in triage, and a sure
"noise" is dropped where no one sees it. A file with a `lang` field is also scored per language.
`learn` simulates N corrections: N rows drawn with a fixed seed become corrections, a model is
retrained exactly as `silta train` does, and the remaining rows are the test. Metrics come from
`sklearn.metrics`, imported when a measure is taken: every `silta` command imports this module,
and `silta classify` must not pay the second scikit-learn takes to import. Macro-F1 averages
over the labels present in the data, so a three-class set is not punished for the two classes
it lacks.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bot.classify import train
from bot.classify.context import Context
from bot.classify.service import MentionClassifier, Post, Result
from bot.errors import CommandError
from bot.taxonomy import CATEGORIES, UNSURE_BELOW


@dataclass(frozen=True)
class Row:
    text: str
    label: str
    language: str | None = None


@dataclass(frozen=True)
class Routing:
    """Where mentions end up at one threshold. The first three are shares of the actionable
    mentions (all but noise), which with their triaged share add up to one; `triage` is a share
    of all mentions, `noise_to_team` of the noise ones."""

    threshold: float
    actionable: int
    right_team: float
    wrong_team: float
    dropped: float
    triage: float
    noise_to_team: float


@dataclass(frozen=True)
class ClassScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    data: str
    model_version: str
    tested: int
    macro_f1: float
    accuracy: float
    per_class: dict[str, ClassScore]
    confusion_labels: list[str]
    confusion: list[list[int]]
    routing: Routing
    by_language: dict[str, float]
    """Macro-F1 per language, when the rows say which they are in."""
    learned: int = 0
    seed: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.as_dict())


def read(path: Path) -> list[Row]:
    """Rows from a JSONL file with `text` and `label`; a bad line is named with its number."""
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                rows.append(_row(line, number, path))
    if not rows:
        raise CommandError(f"{path} has no rows; write one JSON object a line with text and label")
    return rows


def _row(line: str, number: int, path: Path) -> Row:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}:{number}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise CommandError(f'{path}:{number}: needs a "text" string')
    label = data.get("label")
    if label not in CATEGORIES:
        raise CommandError(
            f"{path}:{number}: label {label!r} is not one of {', '.join(CATEGORIES)}"
        )
    language = data.get("lang")
    return Row(data["text"], label, language if isinstance(language, str) else None)


def measure(
    classifier: MentionClassifier,
    rows: Sequence[Row],
    *,
    threshold: float = UNSURE_BELOW,
    data: str = "",
) -> Report:
    results = classifier.classify_posts([Post(row.text) for row in rows])
    truth = [row.label for row in rows]
    guesses = [result.category for result in results]
    languages = sorted({row.language for row in rows if row.language})
    by_language = {
        language: _macro_f1(
            [t for t, row in zip(truth, rows, strict=True) if row.language == language],
            [g for g, row in zip(guesses, rows, strict=True) if row.language == language],
        )
        for language in (languages if len(languages) > 1 else [])
    }
    present = [c for c in CATEGORIES if c in set(truth)]
    shown = [c for c in CATEGORIES if c in set(truth) | set(guesses)]
    # Imported here for start-up time: scikit-learn takes most of a second (see bot.classify.model).
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guesses, labels=present, zero_division=0
    )
    per_class = {
        label: ClassScore(round(float(p), 3), round(float(r), 3), round(float(f), 3), int(s))
        for label, p, r, f, s in zip(present, precision, recall, f1, support, strict=True)
    }
    return Report(
        data=data,
        model_version=classifier.version,
        tested=len(rows),
        macro_f1=_macro_f1(truth, guesses),
        accuracy=round(float(accuracy_score(truth, guesses)), 3),
        per_class=per_class,
        confusion_labels=shown,
        confusion=confusion_matrix(truth, guesses, labels=shown).tolist(),
        routing=route(truth, results, threshold),
        by_language=by_language,
    )


def route(truth: Sequence[str], results: Sequence[Result], threshold: float) -> Routing:
    """Where each mention goes at `threshold`: its team, triage (unsure) or nowhere (sure noise)."""
    actionable = right = wrong = dropped = triaged = noise = noise_sent = 0
    for label, result in zip(truth, results, strict=True):
        sure = result.confidence >= threshold
        triaged += not sure
        if label == "noise":
            noise += 1
            noise_sent += sure and result.category != "noise"
            continue
        actionable += 1
        if sure:
            right += result.category == label
            dropped += result.category == "noise"
            wrong += result.category not in (label, "noise")
    return Routing(
        threshold=threshold,
        actionable=actionable,
        right_team=_share(right, actionable),
        wrong_team=_share(wrong, actionable),
        dropped=_share(dropped, actionable),
        triage=_share(triaged, len(truth)),
        noise_to_team=_share(noise_sent, noise),
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _macro_f1(truth: Sequence[str], guesses: Sequence[str]) -> float:
    present = [c for c in CATEGORIES if c in set(truth)]
    from sklearn.metrics import precision_recall_fscore_support  # start-up time, as above

    _, _, f1, _ = precision_recall_fscore_support(truth, guesses, labels=present, zero_division=0)
    return round(float(sum(f1) / len(present)), 3)


def learn(
    rows: Sequence[Row],
    corrections: int,
    *,
    seed: int,
    threshold: float = UNSURE_BELOW,
    data: str = "",
) -> Report:
    """Take `corrections` random rows as corrections, retrain, and test on the rest."""
    if not 0 < corrections < len(rows):
        raise CommandError(
            f"--learn {corrections} needs fewer corrections than the {len(rows)} rows, "
            "so that some are left to test on"
        )
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    taken, rest = order[:corrections], order[corrections:]
    context = Context()
    pairs = [(train.prepare(rows[i].text, context=context), rows[i].label) for i in taken]
    model = train.with_corrections(pairs, version=f"learn-{corrections}-seed-{seed}")
    report = measure(
        MentionClassifier(model), [rows[i] for i in rest], threshold=threshold, data=data
    )
    return replace(report, learned=corrections, seed=seed)
