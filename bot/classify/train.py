"""Building models: the seed model that ships, and retrained ones that fold in corrections.

Corrections are this company's own posts judged by its own people, so they weigh more than any
seed post. While they are few, they join the seed corpus in one model, each counting
`CORRECTION_WEIGHT` times. Once there are enough of them to learn from alone, they get an
expert of their own beside the unchanged seed model, and the two vote (see `model`): measured
with `silta eval --learn`, this beats both a single model and starting over, because the seed
model keeps what it knows about posts the company never corrected. Between `EXPERT_FROM` and
`EXPERT_FULL` corrections one hands over to the other. Nothing is fine-tuned in place; each
version is built from everything stored, so any version can be rebuilt from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files

from sqlalchemy.orm import Session

from bot.classify import model, seed
from bot.classify.context import Context
from bot.classify.features import Featuriser
from bot.classify.seed import Example
from bot.classify.text import clean
from bot.config import Workspace
from bot.errors import ClassifierError
from bot.models import ClassifierModel
from bot.store import classifier_models, labels

log = logging.getLogger(__name__)

CORRECTION_WEIGHT = 25.0
"""How many seed posts one correction is worth while corrections share the seed's model."""
EXPERT_FROM = 100
EXPERT_FULL = 300
"""Corrections needed before they get an expert of their own, and before it counts fully."""
EXPERT = Featuriser(char_weight=1.0)
"""The corrections expert leans on character n-grams more, and does not hold back on noise:
its posts are the company's own, labelled by the people who know them."""
EXPERT_REGULARISATION = 8.0
SEED_ARTIFACT = "model.npz"


def prepare(text: str | None, *, title: str | None = None, context: Context) -> str:
    """The text as the model reads it, in training and in prediction alike."""
    return context.substitute(clean(text, title=title))


def build(examples: Sequence[Example], *, version: str) -> model.Model:
    return model.fit(
        [e.text for e in examples],
        [e.label for e in examples],
        weights=[e.weight for e in examples],
        version=version,
    )


def seed_version() -> str:
    return f"seed-{seed.fingerprint()}"


@cache
def seed_model() -> model.Model:
    """The model built from the seed corpus alone: the shipped artifact when it is current."""
    version = seed_version()
    artifact = files(seed.__name__).joinpath(SEED_ARTIFACT)
    try:
        shipped = model.Model.from_bytes(artifact.read_bytes()) if artifact.is_file() else None
    except ClassifierError:
        shipped = None
    if shipped is not None and shipped.version == version:
        return shipped
    log.warning(
        "the shipped seed model is not %s; building it now (run `python -m bot.classify.seed` "
        "to ship a current one)",
        version,
    )
    return build(seed.load(), version=version)


def with_corrections(corrections: Sequence[tuple[str, str]], *, version: str) -> model.Model:
    """A model from the seed corpus and (prepared text, category) corrections."""
    share = expert_share(corrections)
    if share < 1:
        weight = CORRECTION_WEIGHT * (1 - share)
        extra = [Example(text, category, weight) for text, category in corrections]
        base = build([*seed.load(), *extra], version=version)
    else:
        base = seed_model()
    if share == 0:
        return base
    own = model.fit(
        [text for text, _ in corrections],
        [category for _, category in corrections],
        version=version,
        featuriser=EXPERT,
        regularisation=EXPERT_REGULARISATION,
        noise_weight=1.0,
    )
    return base.with_expert(model.reweighed(own, share), version=version)


def expert_share(corrections: Sequence[tuple[str, str]]) -> float:
    """How much the corrections expert counts, from 0 (none yet) to 1 (as much as the seed)."""
    if len({category for _, category in corrections}) < 2:
        return 0.0
    share = (len(corrections) - EXPERT_FROM) / (EXPERT_FULL - EXPERT_FROM)
    return min(1.0, max(0.0, share))


def retrain(*, session: Session, workspace: Workspace | None = None) -> ClassifierModel | None:
    """Fold every stored correction into a new active model; None when there is nothing new.

    This is the job the scheduler runs; it never commits, the caller's transaction does.
    """
    newest = labels.newest_id(session=session)
    if newest is None:
        return None
    active = classifier_models.get_active(session=session)
    if active is not None and (active.metrics or {}).get("newest_label_id") == newest:
        return None
    context = Context.from_company(workspace.company if workspace else None)
    found = labels.corrections(session=session)
    pairs = [(prepare(c.text, title=c.title, context=context), c.category) for c in found]
    version = next_version(session=session)
    try:
        built = with_corrections(pairs, version=version)
    except ValueError as exc:
        raise ClassifierError(f"training failed ({exc}); check the stored labels") from None
    log.info("trained %s on the seed corpus and %d corrections", version, len(pairs))
    return classifier_models.create(
        version,
        built.to_bytes(),
        session=session,
        trained_on=len(pairs),
        labels_count=labels.count(session=session),
        metrics={
            "newest_label_id": newest,
            "corrections": len(pairs),
            "seed": seed_version(),
            "expert_share": expert_share(pairs),
        },
    )


def next_version(*, session: Session) -> str:
    number = classifier_models.count(session=session) + 1
    return f"v{number}-{datetime.now(UTC):%Y%m%d}"
