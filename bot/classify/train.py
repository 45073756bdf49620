"""Building models: the seed model that ships, and retrained ones that fold in corrections.

Corrections are this company's own posts judged by its own people, so they weigh more than any
seed post. While they are few, they join the seed corpus in one model, each counting
`CORRECTION_WEIGHT` times. Once there are enough of them to learn from alone, they get an
expert of their own beside the unchanged seed model, and the two vote (see `model`): measured
with `silta eval --learn`, this beats both a single model and starting over, because the seed
model keeps what it knows about posts the company never corrected. Between `EXPERT_FROM` and
`EXPERT_FULL` corrections one hands over to the other. Nothing is fine-tuned in place; each
version is built from everything stored, so any version can be rebuilt from the database.

How much each expert says is not a constant: a company whose posts read like the seed corpus
should lean on it, one whose posts do not should lean on its own. Once the corrections expert
counts fully, `blend` decides by cross-validation on the corrections alone: it trains the expert
on four fifths of them, scores the fifth it has not seen, and keeps the pair of weights under
which the held-out corrections are likeliest. No post outside the corrections is looked at.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

import numpy as np

from bot.classify import language, languages, model, seed
from bot.classify.context import Context
from bot.classify.features import Featuriser
from bot.classify.seed import Example
from bot.classify.text import clean
from bot.errors import ClassifierError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.config import Workspace
    from bot.models import ClassifierModel

log = logging.getLogger(__name__)

CORRECTION_WEIGHT = 25.0
"""How many seed posts one correction is worth while corrections share the seed's model."""
EXPERT_FROM = 100
EXPERT_FULL = 300
"""Corrections needed before they get an expert of their own, and before it counts fully."""
EXPERT = Featuriser(char_weight=1.0)
"""The corrections expert leans on character n-grams more: its posts are the company's own."""
EXPERT_NOISE_WEIGHT = 0.7
"""Noise counts for less in the corrections expert too, though less so than in the seed's
(`model.NOISE_WEIGHT`): its noise is labelled by the people who know the posts. At 1.0 the
blended model dropped 9.1% of actionable mentions as confident noise after 300 corrections;
at 0.7, 6.4%, with macro-F1 0.814 rather than 0.812 (`silta eval --learn 300`, mentions_dev,
seeds 0-4), and public_dev after 500 rose by 0.001-0.003."""
EXPERT_REGULARISATION = 8.0
EXPERT_REGULARISATIONS = (2.0, 8.0, 32.0)
FOLDS = 5
SEED_WEIGHTS = (0.25, 0.5, 0.75, 1.0)
EXPERT_WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0)
"""The weights `blend` chooses among: the seed expert's and the corrections expert's say."""
SEED_ARTIFACT = "model.npz"
NATIVE_WEIGHT = 0.8
"""The say of the expert on posts written in other languages beside the English one."""


def prepare(text: str | None, *, title: str | None = None, context: Context) -> str:
    """The text as the model reads it, in training and in prediction alike: names as tokens,
    the English glosses of a language read appended."""
    prepared, _ = reading(clean(text, title=title), context=context)
    return prepared


def reading(cleaned: str, *, context: Context) -> tuple[str, str | None]:
    """A cleaned post as the model reads it, and the language it was read in."""
    found = languages.code(language.detect(cleaned))
    return languages.gloss(context.substitute(cleaned), found), found


def build(examples: Sequence[Example], *, version: str) -> model.Model:
    """Two experts: one learnt from the English posts, which reads every post (the others
    through their glosses), and one learnt from every post, which reads only those written in
    the other languages and says `NATIVE_WEIGHT` as much. Measured with `silta eval` on
    multilingual_dev: one model of everything was worse in every language, English most (the
    other languages' posts taught English words odd weights), than the two voting; the second
    expert learnt from every post rather than the other languages' alone lifted each of fi, sv,
    de and es by 0.003 to 0.018 macro-F1."""
    english = [e for e in examples if languages.language_of(e.text) == "en"]
    native = [e for e in examples if languages.language_of(e.text) != "en"]
    built = _fit(english, version=version)
    if len({e.label for e in native}) < 2:
        return built
    other = _fit(examples, version=version, reading=tuple(languages.STEMMERS))
    return built.with_experts(model.reweighed(other, NATIVE_WEIGHT), version=version)


def _fit(
    examples: Sequence[Example], *, version: str, reading: tuple[str, ...] = ()
) -> model.Model:
    return model.fit(
        [e.text for e in examples],
        [e.label for e in examples],
        weights=[e.weight for e in examples],
        version=version,
        reading=reading,
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
    if share < 1:
        own = _expert(corrections, version=version)
        return base.with_experts(model.reweighed(own, share), version=version)
    regularisation, seed_weight, own_weight = blend(base, corrections)
    own = _expert(corrections, version=version, regularisation=regularisation)
    return model.Model(
        version,
        base.classes,
        (*model.reweighed(base, seed_weight), *model.reweighed(own, own_weight)),
    )


def _expert(
    corrections: Sequence[tuple[str, str]],
    *,
    version: str,
    regularisation: float = EXPERT_REGULARISATION,
) -> model.Model:
    return model.fit(
        [text for text, _ in corrections],
        [category for _, category in corrections],
        version=version,
        featuriser=EXPERT,
        regularisation=regularisation,
        noise_weight=EXPERT_NOISE_WEIGHT,
    )


def blend(base: model.Model, corrections: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    """The corrections expert's regularisation, and the seed expert's and the corrections
    expert's weights, chosen by `FOLDS`-fold cross-validation on the corrections: the choice under
    which held-out corrections are likeliest. The defaults when a fold would lack a category."""
    texts = [text for text, _ in corrections]
    truth = np.array([base.classes.index(c) for _, c in corrections])
    order = list(range(len(corrections)))
    random.Random(len(corrections)).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    seed = base.logits(texts)
    chosen, best = (EXPERT_REGULARISATION, 1.0, 1.0), -np.inf
    for regularisation in EXPERT_REGULARISATIONS:
        own = np.zeros_like(seed)
        for held in folds:
            kept = sorted(set(order) - set(held))
            if len({corrections[i][1] for i in kept}) < 2:
                return chosen
            fold = _expert(
                [corrections[i] for i in kept], version="fold", regularisation=regularisation
            )
            own[held] = model.Model("fold", base.classes, fold.experts).logits(
                [texts[i] for i in held]
            )
        for seed_weight in SEED_WEIGHTS:
            for own_weight in EXPERT_WEIGHTS:
                likely = _likelihood(seed_weight * seed + own_weight * own, truth)
                if likely > best:
                    best, chosen = likely, (regularisation, seed_weight, own_weight)
    log.info("blend: regularisation %.1f, seed expert %.2f, corrections expert %.2f", *chosen)
    return chosen


def _likelihood(logits: np.ndarray, truth: np.ndarray) -> float:
    """Log-likelihood of the true classes under the softmax of `logits`."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    chosen = shifted[np.arange(len(truth)), truth]
    return float((chosen - np.log(np.exp(shifted).sum(axis=1))).sum())


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
    from bot.store import classifier_models, labels

    newest = labels.newest_id(session=session)
    if newest is None:
        return None
    active = classifier_models.get_active(session=session)
    if active is not None and (active.metrics or {}).get("newest_label_id") == newest:
        return None
    context = Context.from_company(workspace.company if workspace else None)
    found = labels.corrections(session=session)
    # A story moved with its copies teaches once: the same words in the same class add nothing.
    pairs = list(
        dict.fromkeys((prepare(c.text, title=c.title, context=context), c.category) for c in found)
    )
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
    from bot.store import classifier_models

    number = classifier_models.count(session=session) + 1
    return f"v{number}-{datetime.now(UTC):%Y%m%d}"
